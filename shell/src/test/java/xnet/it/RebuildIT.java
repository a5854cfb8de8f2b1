package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** After a reboot the namespaces and programs are gone but the state is not: `lab rebuild` makes them again. */
class RebuildIT {

    private Xnet xnet;

    @BeforeEach
    void setUp() throws Exception {
        xnet = new Xnet("itrb");
    }

    @AfterEach
    void tearDown() throws Exception {
        xnet.close();
    }

    @Test
    void rebuildRestoresTopologyAndRules() throws Exception {
        assertThat(xnet.f("profiles/single-host.xnet").status()).isZero();
        assertThat(xnet.c("filter add drop from 10.0.1.2 to 10.0.2.2 proto icmp; commit").status()).isZero();
        // what a reboot does: namespaces and bpffs pins vanish, /var/lib stays
        xnet.destroyLeftovers();
        Kernel.sh("rm", "-rf", "/sys/fs/bpf/xnet/itrb");
        assertThat(xnet.c("lab status").all()).contains("MISSING", "lab rebuild");

        Xnet.Result rebuild = xnet.c("lab rebuild");
        assertThat(rebuild.status()).as(rebuild.all()).isZero();
        assertThat(xnet.c("lab status").all()).doesNotContain("MISSING");
        assertThat(xnet.c("exec client -- ping -c 1 -W 1 10.0.2.2").status()).as("the filter runs again").isNotZero();
        assertThat(xnet.c("exec outside -- ping -c 1 -W 1 10.0.2.2").status()).isZero();
        assertThat(xnet.c("show counters").out()).contains("drop from 10.0.1.2/32 to 10.0.2.2/32 proto icmp  1");
    }
}
