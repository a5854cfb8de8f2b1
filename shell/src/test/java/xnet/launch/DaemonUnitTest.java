package xnet.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The shipped units, as `daemon install` writes them for a lab and for the host. */
class DaemonUnitTest {

    private static final Path SHIPPED = Path.of("..", "packaging", "systemd");

    @Test
    void aLabGetsAnInstanceOfTheTemplateAndTheHostItsOwnUnit() throws Exception {
        DaemonUnit lab = DaemonUnit.of("lab1", Files.readString(SHIPPED.resolve(DaemonUnit.shippedFile("lab1"))),
                Path.of("/opt/xnet/xnet"));
        assertThat(lab.file()).isEqualTo("xnetd@.service");
        assertThat(lab.unit()).isEqualTo("xnetd@lab1.service");
        assertThat(lab.text()).contains("ExecStart=/opt/xnet/xnet --lab %i daemon run", "Restart=on-failure",
                "WantedBy=multi-user.target").doesNotContain("@XNET@");
        DaemonUnit host = DaemonUnit.of("host", Files.readString(SHIPPED.resolve(DaemonUnit.shippedFile("host"))),
                Path.of("/opt/xnet/xnet"));
        assertThat(host.unit()).isEqualTo("xnetd-host.service");
        assertThat(host.text()).contains("ExecStart=/opt/xnet/xnet --host daemon run");
        assertThatThrownBy(() -> DaemonUnit.of("lab1", "[Service]\nExecStart=/bin/true\n", Path.of("/x")))
                .hasMessageContaining("@XNET@");
    }
}
