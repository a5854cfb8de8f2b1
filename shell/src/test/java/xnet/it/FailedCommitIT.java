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
                .out().replaceAll("(?s).*commit check passed: [^,]*, (\\d+) ip step.*", "$1"));
        assertThat(steps).isGreaterThan(10);
        for (int failAt : new int[] {1, steps / 2, steps}) {
            Xnet.Result result = xnet.withFaults(Map.of("XNET_FAIL_AT_STEP", Integer.toString(failAt)),
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

    /**
     * Apply only swaps; a swap that fails is swapped back and the commit says the kernel is as
     * it was. When the swap back fails too, the commit says what is left and `lab status` shows
     * the drift until `lab rebuild`.
     */
    @Test
    void aFailedSwapIsTakenBackAndAnUnfinishedRevertShowsAsDrift() throws Exception {
        // inline rules: every commit loads new programs and swaps the three links (uplink, client, server)
        assertThat(xnet.c("datapath strategy inline; filter add drop from 10.9.0.0/16; commit").status()).isZero();
        TreeMap<String, Integer> before = Kernel.linkPrograms("itfail");
        assertThat(before).containsOnlyKeys("uplink+tc", "v-client+tc", "v-server+tc");
        String change = "filter add drop from 10.8.0.0/16; commit";

        Xnet.Result swapFails = xnet.withFaults(Map.of("XNET_FAIL_AT_SWAP", "3"), "--lab", "itfail", "-c", change);
        assertThat(swapFails.status()).as(swapFails.all()).isEqualTo(1);
        assertThat(swapFails.err()).contains("injected failure (XNET_FAIL_AT_SWAP=3)", "commit failed swapping programs",
                "the kernel is as it was before the commit").doesNotContain("UNDO WAS INCOMPLETE");
        assertThat(Kernel.linkPrograms("itfail")).as("the old programs run again").isEqualTo(before);
        assertThat(xnet.c("lab status").all()).doesNotContain("DRIFT");

        Xnet.Result undoFails = xnet.withFaults(Map.of("XNET_FAIL_AT_SWAP", "3", "XNET_FAIL_AT_UNDO", "1"),
                "--lab", "itfail", "-c", change);
        assertThat(undoFails.status()).as(undoFails.all()).isEqualTo(1);
        assertThat(undoFails.err()).contains("commit failed swapping programs; UNDO WAS INCOMPLETE",
                "back: injected failure (XNET_FAIL_AT_UNDO=1)", "marked as drifted")
                .doesNotContain("the kernel is as it was");
        TreeMap<String, Integer> after = Kernel.linkPrograms("itfail");
        assertThat(after.keySet()).isEqualTo(before.keySet());
        assertThat(after.entrySet().stream().filter(e -> !e.getValue().equals(before.get(e.getKey()))).count())
                .as("one link kept the new program: its swap back failed").isEqualTo(1);
        Xnet.Result status = xnet.c("lab status");
        assertThat(status.status()).as("lab status exits 1 when the kernel differs").isEqualTo(1);
        assertThat(status.all()).contains("DRIFT", "injected failure (XNET_FAIL_AT_UNDO=1)", "lab rebuild");
        assertThat(xnet.c("lab status --json").out()).contains("\"drift\" : [ \"swap program of");
        assertThat(xnet.c("history").out()).doesNotContain("\n3 ");

        assertThat(xnet.c("lab rebuild").status()).isZero();
        assertThat(xnet.c("lab status").all()).doesNotContain("DRIFT");
        assertThat(xnet.c("exec client -- ping -c 1 -W 1 10.0.2.2").status()).isZero();
    }
}
