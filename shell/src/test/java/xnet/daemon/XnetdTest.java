package xnet.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import xnet.app.Faults;
import xnet.app.Workspace;
import xnet.client.DaemonClient;
import xnet.client.RemoteLineSession;
import xnet.grammar.Suggestion;
import xnet.plan.TargetLayout;

/**
 * xnetd over its real socket, in this JVM, on a lab whose commands here only edit and show (no
 * kernel): the request modes, one candidate per connection, completion, status, stop, one owner.
 */
class XnetdTest {

    @TempDir
    Path home;

    private Workspace workspace;
    private RunFiles files;
    private CompletableFuture<Integer> daemon;

    @BeforeEach
    void start() throws Exception {
        workspace = new Workspace(home, home, home.resolve("run"));
        files = new RunFiles(workspace.run(), "unit");
        daemon = CompletableFuture.supplyAsync(() -> {
            try {
                return Xnetd.run(TargetLayout.lab("unit"), workspace, Faults.NONE);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // the pid file comes after bind, listen and chmod: then the socket takes connections
        for (int i = 0; i < 200 && !Files.exists(files.pidFile()); i++) {
            Thread.sleep(25);
        }
        assertThat(files.pidFile()).exists();
    }

    @AfterEach
    void stop() throws Exception {
        if (!daemon.isDone()) {
            request("stop");
        }
        assertThat(daemon.get(10, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void runsAScriptAndAnswersWithItsOutputAndStatus() throws Exception {
        Reply ok = script("", "bridge add br1 10.0.1.0/24; container add web --bridge br1; show candidate");
        assertThat(ok.status).isZero();
        assertThat(ok.out).contains("bridge br1 10.0.1.0/24 added", "web");
        Reply bad = script("batch.xnet", "bridge add br1 10.0.1.0/24", "frob");
        assertThat(bad.status).isEqualTo(1);
        assertThat(bad.err).contains("batch.xnet:2").contains("frob");
    }

    @Test
    void aLineThatIsNotUtf8StopsTheScriptBeforeAnythingRuns() throws Exception {
        try (DaemonClient client = DaemonClient.connect(files.socket())) {
            client.hello(Map.of("mode", "run", "name", "b.xnet", "cwd", home.toString()));
            client.send(Frame.LINE, "bridge add br1 10.0.1.0/24");
            client.send(new Frame(Frame.LINE, "filter add drop from 10.9.9.\u00e9".getBytes(StandardCharsets.ISO_8859_1)));
            client.send(Frame.END, "");
            Reply reply = answer(client);
            assertThat(reply.status).isEqualTo(1);
            assertThat(reply.err).isEqualTo("b.xnet:2: not valid UTF-8 (byte 0xE9 at column 29)\n");
            assertThat(reply.out).as("nothing ran").isEmpty();
        }
    }

    @Test
    void everyConnectionHasItsOwnCandidate() throws Exception {
        try (DaemonClient a = DaemonClient.connect(files.socket()); DaemonClient b = DaemonClient.connect(files.socket())) {
            ByteArrayOutputStream outA = new ByteArrayOutputStream();
            ByteArrayOutputStream outB = new ByteArrayOutputStream();
            RemoteLineSession first = new RemoteLineSession(a, Map.of("mode", "shell"), outA, outA);
            RemoteLineSession second = new RemoteLineSession(b, Map.of("mode", "shell"), outB, outB);
            assertThat(first.greeting()).contains("lab 'unit'");
            first.runLine("bridge add br1 10.0.1.0/24");
            assertThat(first.prompt()).isEqualTo("xnet[unit]*> ");
            second.runLine("bridge list");
            assertThat(second.prompt()).isEqualTo("xnet[unit]> ");
            assertThat(outB.toString(StandardCharsets.UTF_8)).doesNotContain("br1");
            List<Suggestion> bridges = first.suggester().suggest(List.of("container", "add", "web", "--bridge"), "b");
            assertThat(bridges).extracting(Suggestion::value).containsExactly("br1");
            first.runLine("exit");
            assertThat(first.exitRequested()).isFalse();
            first.runLine("exit");
            assertThat(first.exitRequested()).isTrue();
        }
    }

    @Test
    void statusSaysWhoServesAndASecondDaemonIsRefused() throws Exception {
        Reply status = request("status");
        assertThat(status.status).isZero();
        assertThat(status.out).contains("xnetd for unit: pid " + ProcessHandle.current().pid());
        assertThat(Xnetd.run(TargetLayout.lab("unit"), workspace, Faults.NONE)).isEqualTo(1);
        assertThat(files.socket()).exists();
        assertThat(Files.getPosixFilePermissions(files.socket())).hasSize(2);
        Reply stop = request("stop");
        assertThat(stop.out).contains("stopped");
        assertThat(daemon.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(files.socket()).doesNotExist();
        assertThat(files.pidFile()).doesNotExist();
    }

    private record Reply(int status, String out, String err) {
    }

    private Reply script(String name, String... lines) throws Exception {
        try (DaemonClient client = DaemonClient.connect(files.socket())) {
            client.hello(Map.of("mode", "run", "name", name, "cwd", home.toString()));
            for (String line : lines) {
                client.send(Frame.LINE, line);
            }
            client.send(Frame.END, "");
            return answer(client);
        }
    }

    private Reply request(String mode) throws Exception {
        try (DaemonClient client = DaemonClient.connect(files.socket())) {
            client.hello(Map.of("mode", mode));
            return answer(client);
        }
    }

    private static Reply answer(DaemonClient client) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = client.pump(out, err);
        return new Reply(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
