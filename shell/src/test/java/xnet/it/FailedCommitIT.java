package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A commit that fails half way through prepare leaves the kernel exactly as it was. */
class FailedCommitIT {

    private static final String CHANGE = "container del server; bridge add br3 10.0.3.0/24; "
            + "container add x --bridge br3; container add y --bridge br1; commit";

    private Xnet xnet;

    @BeforeEach
    void setUp() throws Exception {
        xnet = new Xnet("itfail");
        assertThat(xnet.f("profiles/single-host.xnet").status()).isZero();
    }

    @AfterEach
    void tearDown() throws Exception {
        xnet.close();
    }

    @Test
    void injectedFailureAtTheStartMiddleAndEndOfPrepareChangesNothing() throws Exception {
        TreeMap<String, List<String>> before = Kernel.snapshot("itfail");
        assertThat(before.get("xnet.itfail.host")).contains("link v-server up master br2", "addr br1 10.0.1.1/24");
        int steps = Integer.parseInt(xnet.c(CHANGE.replace("; commit", "; commit check"))
                .out().replaceAll("(?s).*commit check passed: [^,]*, (\\d+) kernel step.*", "$1"));
        assertThat(steps).isGreaterThan(10);
        for (int failAt : new int[] {1, steps / 2, steps}) {
            Xnet.Result result = xnet.run(Map.of("XNET_FAIL_AT_STEP", Integer.toString(failAt)), null,
                    "--lab", "itfail", "-c", CHANGE);
            assertThat(result.status()).as(result.all()).isEqualTo(1);
            assertThat(result.err()).contains("injected failure", "commit failed in prepare",
                    "the kernel is as it was before the commit");
            assertThat(Kernel.snapshot("itfail")).as("kernel after failing at step " + failAt).isEqualTo(before);
        }
        assertThat(xnet.c("history").out()).contains("single-host profile").doesNotContain("\n2 ");
        assertThat(xnet.c("exec client -- ping -c 1 -W 1 10.0.2.2").status()).isZero();
    }

    @Test
    void realKernelErrorMidwayIsUndoneAndQuoted() throws Exception {
        // A namespace that is in the way: the commit's "ip netns add" for container y fails for real.
        Kernel.sh("ip", "netns", "add", "xnet.itfail.c.y");
        try {
            TreeMap<String, List<String>> before = Kernel.snapshot("itfail");
            Xnet.Result result = xnet.c(CHANGE);
            assertThat(result.status()).isEqualTo(1);
            assertThat(result.err()).contains("ip netns add xnet.itfail.c.y").contains("File exists")
                    .contains("the kernel is as it was before the commit");
            assertThat(Kernel.snapshot("itfail")).isEqualTo(before);
        } finally {
            Kernel.sh("ip", "netns", "del", "xnet.itfail.c.y");
        }
    }
}
