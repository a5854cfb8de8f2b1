package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import xnet.client.DaemonClient;
import xnet.daemon.Frame;
import xnet.plan.TargetLayout;

/**
 * `commit confirmed` on a real lab: a rule that locks `outside` out of a web server, committed
 * with a 5-second window by a `-c` shell that then ends. xnetd rolls it back at the deadline
 * (the page loads again) while a UDP stream between two other containers crosses the rollback's
 * program swap without losing a datagram. Then: a `commit` within the window keeps the change,
 * and a deadline that passes while no xnetd runs is honoured by the next one at its start.
 */
class ConfirmedCommitIT extends LabTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WEB = "10.0.2.3";

    @Override
    protected String lab() {
        return "itconf";
    }

    @Test
    void anUnconfirmedLockoutRollsItselfBackWithTheShellGoneAndLosesNoDatagram() throws Exception {
        assertThat(xnet.f("profiles/single-host.xnet").status()).isZero();
        assertThat(xnet.c("container add web --bridge br2 --ip " + WEB + "; commit comment web").status()).isZero();
        String outside = TargetLayout.lab(lab()).outsideAddress().toString();
        String lockout = "filter add drop from " + outside + " to " + WEB + " proto tcp port 80";
        Path www = Files.createDirectories(xnet.home.resolve("www"));
        Files.writeString(www.resolve("index.html"), "hello from web\n");
        List<Process> servers = new java.util.ArrayList<>();
        try {
            servers.add(background("web", "busybox", "httpd", "-f", "-p", "80", "-h", www.toString()));
            servers.add(background("server", "iperf3", "-s", "-p", "5201"));
            SingleHostLabIT.waitForListener("xnet.itconf.c.web", 80);
            SingleHostLabIT.waitForListener("xnet.itconf.c.server", 5201);
            assertThat(page()).isEqualTo("hello from web");

            long socketDropsBefore = Kernel.udpReceiveErrors("xnet.itconf.c.server");
            Process udp = new ProcessBuilder("ip", "netns", "exec", "xnet.itconf.c.client", "iperf3", "-c", "10.0.2.2",
                    "-u", "-b", "50M", "-l", "1200", "-t", "12", "-J").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Thread.sleep(1000);
            // a shell idle at its prompt meanwhile: the rollback nobody typed is told at its next line
            DaemonClient idle = DaemonClient.connect(xnet.run().resolve(lab() + ".sock"));
            java.io.ByteArrayOutputStream idleOut = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream idleErr = new java.io.ByteArrayOutputStream();
            idle.hello(java.util.Map.of("mode", "shell", "cwd", "/", "colour", "0"));
            idle.pump(idleOut, idleErr);
            Xnet.Result locked = xnet.c(lockout + "; commit confirmed 5s comment try the lockout");
            assertThat(locked.status()).as(locked.all()).isZero();
            assertThat(locked.all()).contains("commit 3 done", "commit 3 rolls back to commit 2 at")
                    .doesNotContain("no xnetd holds the timer");
            assertThat(page()).as("outside is locked out").isNull();
            JsonNode pending = pending();
            assertThat(pending.get("pending").asBoolean()).as(pending.toString()).isTrue();
            assertThat(pending.get("rollbackTo").asInt()).isEqualTo(2);

            waitUntilNothingPending(20);
            assertThat(page()).as("the rollback let outside in again").isEqualTo("hello from web");
            try (idle) {
                idle.send(Frame.LINE, "show running");
                idle.pump(idleOut, idleErr);
            }
            assertThat(idleErr.toString()).contains("xnet: commit 3 was not confirmed by", "rolled back to commit 2's"
                    + " config as commit 4");
            assertThat(idleOut.toString()).as("the line itself then ran").contains("commit 4");
            assertThat(xnet.c("history").out()).contains("rollback of unconfirmed commit 3");
            assertThat(xnet.c("filter list").out()).doesNotContain(outside);

            String report = new String(udp.getInputStream().readAllBytes());
            udp.waitFor(60, TimeUnit.SECONDS);
            JsonNode sum = JSON.readTree(report).path("end").path("sum");
            long lost = sum.path("lost_packets").asLong();
            long socketDrops = Kernel.udpReceiveErrors("xnet.itconf.c.server") - socketDropsBefore;
            System.out.printf("confirmed commit: UDP lost %d of %d across the commit and its rollback (%d dropped by "
                    + "the receiving socket)%n", lost, sum.path("packets").asLong(), socketDrops);
            assertThat(sum.path("packets").asLong()).as("the stream ran").isPositive();
            assertThat(lost - socketDrops).as("UDP datagrams lost on the way across the rollback").isZero();

            // a commit within the window confirms: the lockout stays after the deadline
            Xnet.Result again = xnet.c(lockout + "; commit confirmed 5s");
            assertThat(again.status()).as(again.all()).isZero();
            Xnet.Result confirm = xnet.c("commit");
            assertThat(confirm.out()).contains("nothing else to commit", "commit 5 confirmed");
            Thread.sleep(6000);
            assertThat(pending().get("pending").asBoolean()).isFalse();
            assertThat(page()).as("confirmed: still locked out").isNull();

            // a deadline that passes while no xnetd runs: the next one rolls back as it starts
            assertThat(xnet.c("filter del 2; commit confirmed 5s comment let outside in").status()).isZero();
            assertThat(page()).isEqualTo("hello from web");
            xnet.stopDaemon();
            Thread.sleep(6000);
            assertThat(pending().get("pending").asBoolean()).as("settled by the new xnetd").isFalse();
            assertThat(page()).as("back to the confirmed lockout").isNull();
            assertThat(xnet.c("history").out()).contains("rollback of unconfirmed commit 6");
        } finally {
            Kernel.stop(servers);
        }
    }

    /** The page from outside, or null when it does not load within 2 s. */
    private String page() throws Exception {
        Process get = new ProcessBuilder("ip", "netns", "exec", "xnet.itconf.outside", "curl", "-s", "-f", "-m", "2",
                "http://" + WEB + "/").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String body = new String(get.getInputStream().readAllBytes()).strip();
        if (!get.waitFor(10, TimeUnit.SECONDS)) {
            get.destroyForcibly();
            return null;
        }
        return get.exitValue() == 0 ? body : null;
    }

    private JsonNode pending() throws Exception {
        Xnet.Result shown = xnet.c("show commit pending --json");
        assertThat(shown.status()).as(shown.all()).isZero();
        return JSON.readTree(shown.out());
    }

    private void waitUntilNothingPending(int seconds) throws Exception {
        for (int i = 0; i < seconds * 2; i++) {
            if (!pending().get("pending").asBoolean()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the commit still awaits confirmation after " + seconds + " s: "
                + xnet.c("show commit pending").all());
    }

    private Process background(String container, String... command) throws Exception {
        return Kernel.background(xnet.home, "xnet.itconf.c." + container, command);
    }

}
