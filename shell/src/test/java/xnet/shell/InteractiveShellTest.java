package xnet.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jline.reader.Candidate;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interactive prompt over a JLine terminal fed by the test, and Tab completion through JLine's types. */
class InteractiveShellTest {

    @TempDir
    Path home;

    private String session(ShellHarness shell, String typed) throws Exception {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        try (Terminal terminal = new DumbTerminal(new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)), screen)) {
            Console console = new Console(screen, screen, false, false);
            InteractiveShell.run(terminal, new LocalLineSession(shell.assembly, console), null);
        }
        return screen.toString(StandardCharsets.UTF_8);
    }

    @Test
    void promptEditsShowsAndReportsErrorsWithoutLeaving() throws Exception {
        ShellHarness shell = new ShellHarness(home, home);
        String screen = session(shell, """
                bridge add br1 10.0.1.0/24
                bridge add br1 10.0.9.0/24
                container add web --bridge br1
                show candidate
                exit
                exit
                """);
        assertThat(screen).contains("xnet[unit]> ", "xnet[unit]*> ", "bridge br1 10.0.1.0/24 added",
                "error: bridge br1 already exists (10.0.1.0/24)", "web        br1     10.0.1.2",
                "uncommitted changes");
        assertThat(shell.control.exitRequested()).isTrue();
    }

    @Test
    void aWarningHoldsOnlyForTheVeryNextCommand() throws Exception {
        ShellHarness shell = new ShellHarness(home, home);
        String screen = session(shell, """
                bridge add br1 10.0.1.0/24
                exit
                show candidate
                exit
                """);
        // the second exit warns again (a command came between); the end of input, an exit, then leaves
        assertThat(screen.split("uncommitted changes", -1)).as("two warnings").hasSize(3);
    }

    @Test
    void endOfInputLeavesTheShell() throws Exception {
        ShellHarness shell = new ShellHarness(home, home);
        assertThat(session(shell, "bridge list\n")).contains("BRIDGE  SUBNET");
    }

    @Test
    void tabCompletesNamesFromTheModelWithDescriptions() throws Exception {
        ShellHarness shell = new ShellHarness(home, home);
        shell.scripts.runLine("bridge add br1 10.0.1.0/24; bridge add br2 10.0.2.0/24", null, shell.console, false);
        GrammarCompleter completer = GrammarCompleter.local(shell.dispatcher.grammar(), shell.values);
        assertThat(complete(completer, "container add web --bridge b")).containsExactly("br1 (10.0.1.0/24)",
                "br2 (10.0.2.0/24)");
        assertThat(complete(completer, "bri")).containsExactly("bridge (bridge commands)");
        assertThat(complete(completer, "bridge list; cont")).containsExactly("container (container commands)");
        assertThat(complete(completer, "exec ")).contains("host (the lab's host namespace)");
        shell.scripts.runLine("filter add drop from 10.9.0.0/16 proto tcp port 22", null, shell.console, false);
        assertThat(complete(completer, "filter del ")).containsExactly("1 (drop from 10.9.0.0/16 proto tcp port 22)");
        assertThat(complete(completer, "filter add drop from 10.9.9.9 pro")).containsExactly("proto (option: tcp|udp|icmp|icmpv6)");
        assertThat(complete(completer, "datapath ")).contains("tc (null)", "xdp (null)", "strategy (how BPF matches "
                + "rules: inline code, map lookups, or auto (preview says which and why))");
    }

    private static List<String> complete(GrammarCompleter completer, String line) {
        List<Candidate> candidates = new ArrayList<>();
        completer.complete(null, new DefaultParser().parse(line, line.length()), candidates);
        return candidates.stream().map(c -> c.value() + " (" + c.descr() + ")").toList();
    }
}
