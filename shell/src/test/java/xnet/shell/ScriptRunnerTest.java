package xnet.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptRunnerTest {

    @TempDir
    Path home;

    private ShellHarness shell() throws Exception {
        return new ShellHarness(home.resolve("home"), home.resolve("root"));
    }

    @Test
    void batchStopsAtTheFirstBadLineAndNamesFileAndLine() throws Exception {
        ShellHarness shell = shell();
        Path file = home.resolve("bad.xnet");
        Files.writeString(file, """
                # a comment, then two good lines
                bridge add br1 10.0.1.0/24
                container add web --bridge br1
                container add db --bridge br9
                bridge add br2 10.0.2.0/24
                """);
        int status = shell.scripts.run(ScriptRunner.Source.file(file.toString()), shell.console, false);
        assertThat(status).isEqualTo(1);
        assertThat(shell.err()).isEqualTo(file + ":4: no bridge named br9 (known: br1)\n");
        assertThat(shell.target.candidate().bridges()).containsOnlyKeys("br1");
        assertThat(shell.target.candidate().containers()).containsOnlyKeys("web");
    }

    @Test
    void malformedInputLeavesTheCandidateUnchangedAndShowsTheForm() throws Exception {
        ShellHarness shell = shell();
        shell.scripts.runLine("bridge add br1 10.0.1.0/24", null, shell.console, false);
        var before = shell.target.candidate();
        for (String bad : List.of("bridge add br2", "bridge add br2 10.0.2.0/33", "container add x --bridge",
                "container add x --bridge br1 --ip nope", "exec", "rollback x", "commit comment 'open",
                "filter add drop proto tcp port 0", "filter add drop from \u0661\u0660.0.0.0/8", "bridge add default 10.5.0.0/16",
                "bridge add all 10.5.0.0/16", "filter del \uff11", "container attach z --bridge br1 --pid 1 --ifname default")) {
            int status = shell.scripts.runLine(bad, null, shell.console, false);
            assertThat(status).as(bad).isEqualTo(1);
            assertThat(shell.target.candidate()).as(bad).isEqualTo(before);
        }
        List<String> errors = shell.err().lines().toList();
        assertThat(errors).hasSize(13).allMatch(l -> l.startsWith("error: ")).noneMatch(l -> l.contains("Exception"));
        assertThat(errors.get(0)).isEqualTo("error: missing CIDR (usage: bridge add NAME CIDR [CIDR6])");
    }

    @Test
    void semicolonsSeparateStatementsAsInDashC() throws Exception {
        ShellHarness shell = shell();
        int status = shell.scripts.run(new ScriptRunner.Source(null,
                List.of("bridge add br1 10.0.1.0/24; container add a --bridge br1; compare")), shell.console, false);
        assertThat(status).isZero();
        assertThat(shell.out()).contains("+ bridge br1 10.0.1.0/24", "+ container a br1 10.0.1.2");
    }

    @Test
    void showCommandsSpeakJson() throws Exception {
        ShellHarness shell = shell();
        shell.scripts.runLine("bridge add br1 10.0.1.0/24; container add a --bridge br1", null, shell.console, false);
        shell.out.reset();
        shell.scripts.runLine("show candidate --json", null, shell.console, false);
        assertThat(shell.out()).contains("\"subnet\" : \"10.0.1.0/24\"", "\"ip\" : \"10.0.1.2\"");
        for (String show : List.of("show running --json", "compare --json", "history --json", "show profiles --json",
                "bridge list --json", "container list --json", "sh ca --j", "show ruleset nftables --json")) {
            shell.out.reset();
            assertThat(shell.scripts.runLine(show, null, shell.console, false)).as(show).isZero();
            assertThat(shell.out().trim()).as(show).matches("(?s)^[\\[{].*[\\]}]$");
        }
    }

    @Test
    void deadRulesAndNatRulesLeftPointingNowhereAreWarnedAbout() throws Exception {
        ShellHarness shell = shell();
        assertThat(shell.scripts.runLine("bridge add br1 10.0.1.0/24; container add web --bridge br1; "
                + "nat add 10.0.0.1:80 -> 10.0.1.2:8080; filter add drop from 10.0.0.0/8; "
                + "filter add allow from 10.1.0.0/16 proto tcp port 80", null, shell.console, false)).isZero();
        assertThat(shell.err()).contains("warning: filter 2 (allow from 10.1.0.0/16 proto tcp port 80) can never match:"
                + " filter 1 (drop from 10.0.0.0/8) comes first");
        assertThat(shell.target.candidate().filters()).as("the rule stays").hasSize(2);
        shell.err.reset();
        assertThat(shell.scripts.runLine("filter add drop from 192.168.0.0/16 before 1", null, shell.console, false)).isZero();
        assertThat(shell.err()).as("a rule that shadows nothing").isEmpty();
        assertThat(shell.scripts.runLine("container del web", null, shell.console, false)).isZero();
        assertThat(shell.err()).contains("warning: nat 1 (10.0.0.1:80 -> 10.0.1.2:8080 proto tcp) now points at no container");

        shell.err.reset(); // the same for a NAT rule to a container's IPv6 address
        assertThat(shell.scripts.runLine("bridge add br6 10.0.6.0/24 fd00:6::/64; container add v6 --bridge br6; "
                + "nat add [fd00::a00:1]:80 -> [fd00:6::2]:8080; container del v6", null, shell.console, false)).isZero();
        assertThat(shell.err()).contains("now points at no container", "[fd00:6::2]:8080");
    }

    @Test
    void savedProfileLoadsBackAndLoadingRunsOnlyConfiguration() throws Exception {
        ShellHarness shell = shell();
        shell.scripts.runLine("bridge add br1 10.0.1.0/24; container add a --bridge br1; save profile mine",
                null, shell.console, false);
        assertThat(Files.readString(home.resolve("home/profiles/mine.xnet")))
                .contains("bridge add br1 10.0.1.0/24", "container add a --bridge br1 --ip 10.0.1.2", "commit");
        var saved = shell.target.candidate();
        shell.scripts.runLine("discard; load profile mine", null, shell.console, false);
        assertThat(shell.target.candidate()).isEqualTo(saved);
        assertThat(shell.target.history()).isEmpty();
        assertThat(shell.scripts.runLine("save profile mine", null, shell.console, false)).isEqualTo(1);
        assertThat(shell.err()).contains("already exists").contains("--force");
    }

    @Test
    void shippedProfilesAreFoundAndABrokenOneChangesNothing() throws Exception {
        ShellHarness shell = shell();
        Files.createDirectories(home.resolve("root/profiles"));
        Files.writeString(home.resolve("root/profiles/broken.xnet"), "bridge add br1 10.0.1.0/24\nbridge add br2 nope\n");
        shell.scripts.runLine("bridge add keep 10.0.7.0/24", null, shell.console, false);
        var before = shell.target.candidate();
        assertThat(shell.scripts.runLine("load profile broken", null, shell.console, false)).isEqualTo(1);
        assertThat(shell.target.candidate()).isEqualTo(before);
        assertThat(shell.err()).contains("broken.xnet:2: ").contains("not a CIDR");
        shell.out.reset();
        shell.scripts.runLine("show profiles", null, shell.console, false);
        assertThat(shell.out()).contains("broken", "shipped");
    }

    @Test
    void helpListsEveryCommandAndExplainsOne() throws Exception {
        ShellHarness shell = shell();
        shell.scripts.runLine("help", null, shell.console, false);
        assertThat(shell.out()).contains("bridge add NAME CIDR", "container add NAME --bridge BRIDGE [--ip IP]",
                "exec ENDPOINT -- COMMAND...", "rollback NUMBER", "lab destroy");
        shell.out.reset();
        shell.scripts.runLine("help container add", null, shell.console, false);
        assertThat(shell.out()).contains("Example: container add web --bridge br1").doesNotContain("bridge add");
        shell.out.reset(); // the filter rule's help names both families, and ports as they are refused
        shell.scripts.runLine("help filter add", null, shell.console, false);
        assertThat(shell.out()).contains("IPv6 ADDR or ADDR/LEN", "N or N-M (1-65535)")
                .doesNotContain("Addresses are A.B.C.D or A.B.C.D/LEN;");
    }

    @Test
    void anAttachedContainerIsTypedListedSavedAndLoadedBack() throws Exception {
        ShellHarness shell = shell();
        assertThat(shell.scripts.runLine("bridge add br1 10.0.1.0/24; container attach db --bridge br1"
                + " --netns /run/netns/db --ifname net0; container list; save profile att", null, shell.console, false))
                .as(shell.err()).isZero();
        assertThat(shell.out()).contains("container db attached on br1 with 10.0.1.2 (--netns /run/netns/db --ifname net0)",
                "attached: --netns /run/netns/db --ifname net0");
        var saved = shell.target.candidate();
        assertThat(shell.scripts.runLine("discard; load profile att", null, shell.console, false)).isZero();
        assertThat(shell.target.candidate()).isEqualTo(saved);
        assertThat(shell.scripts.runLine("container attach x --bridge br1", null, shell.console, false)).isEqualTo(1);
        assertThat(shell.err()).contains("missing --netns or --pid", "(--netns NETNS | --pid PID)");
    }

    @Test
    void labRebuildAtAPromptWarnsThatItStopsTheContainersProcessesFirst() throws Exception {
        ShellHarness shell = shell();
        shell.control.setInteractive(true);
        assertThat(shell.scripts.runLine("lab rebuild", null, shell.console, false)).isEqualTo(1);
        assertThat(shell.err()).contains("processes still running in its containers are stopped",
                "'lab rebuild' again (or 'lab rebuild --yes')");
        // the same command again goes on; any other in between makes it warn anew
        assertThat(shell.control.confirm("lab rebuild")).isTrue();
        assertThat(shell.control.confirm("lab rebuild")).isFalse();
        shell.control.ran("show candidate");
        assertThat(shell.control.confirm("lab rebuild")).isFalse();
        assertThat(shell.control.confirm("lab destroy")).as("another command's warning").isFalse();
        assertThat(shell.control.confirm("lab destroy")).isTrue();
    }
}
