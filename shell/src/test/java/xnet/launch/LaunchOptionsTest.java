package xnet.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class LaunchOptionsTest {

    @Test
    void defaultsToTheLabNamedLab() {
        LaunchOptions o = LaunchOptions.parse(List.of());
        assertThat(o.target()).isEqualTo("lab");
        assertThat(o.file()).isNull();
    }

    @Test
    void readsEveryOption() {
        LaunchOptions o = LaunchOptions.parse(List.of("--lab", "t1", "-f", "x.xnet"));
        assertThat(o.lab()).isEqualTo("t1");
        assertThat(o.file()).isEqualTo("x.xnet");
        assertThat(LaunchOptions.parse(List.of("-c", "a; b")).commands()).isEqualTo("a; b");
        assertThat(LaunchOptions.parse(List.of("--host")).target()).isEqualTo("host");
        assertThat(LaunchOptions.parse(List.of("--version")).version()).isTrue();
    }

    @Test
    void refusesBadCombinationsAndNames() {
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("-f", "a", "-c", "b"))).hasMessageContaining("together");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--host", "--lab", "x"))).hasMessageContaining("together");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--lab", "a.b"))).hasMessageContaining("lab name");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("-f"))).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--frob"))).hasMessageContaining("unknown option");
    }

    @Test
    void readsTheLabNetworkAndRefusesBadOnes() {
        LaunchOptions o = LaunchOptions.parse(List.of("--lab", "ha", "--underlay", "u1", "--uplink", "10.0.0.3/24"));
        assertThat(o.underlay()).isEqualTo("u1");
        assertThat(o.uplink()).isEqualTo("10.0.0.3/24");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--uplink", "10.0.0.3"))).hasMessageContaining("ADDRESS/PREFIX");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--uplink", "10.0.0.0/24"))).hasMessageContaining("network");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--uplink", "10.0.0.2/24"))).hasMessageContaining("outside");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--underlay", "U.1"))).hasMessageContaining("underlay name");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--host", "--underlay", "u1"))).hasMessageContaining("labs");
    }

    @Test
    void daemonActionsAndTheTargetArgumentsADaemonIsStartedWith() {
        LaunchOptions o = LaunchOptions.parse(List.of("--lab", "ha", "--uplink", "10.0.0.3/24", "daemon", "run"));
        assertThat(o.daemon()).isEqualTo("run");
        assertThat(o.targetArgs()).containsExactly("--lab", "ha", "--uplink", "10.0.0.3/24");
        assertThat(LaunchOptions.parse(List.of("--host", "daemon", "status")).targetArgs()).containsExactly("--host");
        assertThat(LaunchOptions.parse(List.of("--no-daemon", "-c", "x")).noDaemon()).isTrue();
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("daemon", "frob"))).hasMessageContaining("run, status, stop or install");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("daemon", "stop", "-c", "x"))).hasMessageContaining("takes no -c");
        assertThat(LaunchOptions.parse(List.of("daemon", "stop", "--force")).force()).isTrue();
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("daemon", "status", "--force")))
                .hasMessage("--force goes with daemon stop");
        assertThat(LaunchOptions.parse(List.of("--host", "daemon", "install")).daemon()).isEqualTo("install");
    }

    @Test
    void aSecondCommandOrFileIsRefusedRatherThanDroppingTheFirst() {
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("-c", "bridge list", "--command", "filter list")))
                .hasMessage("--command is given twice: put the commands in one, separated by ';'");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("-f", "a.xnet", "-f", "b.xnet")))
                .hasMessageContaining("'source'");
        assertThat(LaunchOptions.USAGE).contains("--command", "--file", "--strict");
    }
}
