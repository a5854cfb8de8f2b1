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
}
