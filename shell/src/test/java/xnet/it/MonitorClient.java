package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import xnet.bpf.Bpf;
import xnet.datapath.Shared;
import xnet.plan.TargetLayout;

/**
 * A running `monitor ... --json` through xnetd's client: each line as it arrives, checked against
 * docs/json/xnet.schema.json, with the moment the test read it.
 */
final class MonitorClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode SCHEMA = schema();

    /** One line and when it was read. */
    record Line(JsonNode json, Instant read) {
    }

    private final Process process;
    private final LinkedBlockingQueue<Line> lines = new LinkedBlockingQueue<>();
    private volatile Throwable badLine;

    MonitorClient(Xnet xnet, String lab, String command) throws Exception {
        process = xnet.start("--lab", lab, "-c", command);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    JsonOutputIT.valid(SCHEMA, "monitorLine", line, command);
                    lines.add(new Line(JSON.readTree(line), Instant.now()));
                }
            } catch (java.io.IOException ended) {
                // the process was stopped
            } catch (Exception | AssertionError bad) {
                badLine = bad; // reported by next(): a line the schema does not allow
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    private static JsonNode schema() {
        try {
            return JSON.readTree(Xnet.ROOT.resolve("docs/json/xnet.schema.json").toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The next event line (suppressed counts are collected apart), or null within the seconds given. */
    Line next(int seconds, List<Long> suppressed) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < until) {
            Line line = lines.poll(100, TimeUnit.MILLISECONDS);
            assertThat(badLine).as("every line follows docs/json/xnet.schema.json").isNull();
            if (line != null && line.json().has("suppressed")) {
                suppressed.add(line.json().get("suppressed").asLong());
            } else if (line != null) {
                return line;
            }
        }
        return null;
    }

    /** Waits until the lab's programs are told that monitors of exactly these kinds (bits 1 << XNET_EVENT_*) listen. */
    static void waitForListening(String lab, int kinds) throws Exception {
        String pin = "/sys/fs/bpf/xnet/" + TargetLayout.lab(lab).name() + "/maps/" + Shared.XNET_MAP_MONITOR;
        Bpf bpf = Bpf.load();
        int listening = -1;
        for (int i = 0; i < 200 && listening != kinds; i++) {
            int fd = bpf.pinned(pin);
            if (fd >= 0) {
                byte[] value = new byte[Shared.MONITOR_SIZE];
                bpf.lookup(fd, new byte[4], value);
                bpf.close(fd);
                listening = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
            }
            if (listening != kinds) {
                Thread.sleep(100);
            }
        }
        assertThat(listening).as("kinds listened for in " + pin).isEqualTo(kinds);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
