package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/**
 * The history read back (`show commit N`, `compare N [M]`, a rollback's own comment, `rebase`) and
 * counters cleared per rule and all at once, in tc and under nftables, with real pings counted.
 */
class HistoryAndCountersIT extends LabTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected String lab() {
        return "ithist";
    }

    @Test
    void commitsCanBeShownComparedAndRolledBackWithAComment() throws Exception {
        assertThat(xnet.c("bridge add br1 10.0.1.0/24; container add web --bridge br1; commit comment base").status())
                .isZero();
        assertThat(xnet.c("filter add drop from 10.9.0.0/16; commit").status()).isZero();

        Xnet.Result two = xnet.c("show commit 2");
        assertThat(two.status()).as(two.all()).isZero();
        assertThat(two.out()).contains("commit 2 at", "+ filter 1 drop from 10.9.0.0/16", "web");
        Xnet.Result between = xnet.c("compare 1 2");
        assertThat(between.out()).contains("from commit 1 to commit 2", "+ filter 1 drop from 10.9.0.0/16");
        Xnet.Result toCandidate = xnet.c("container add db --bridge br1; compare 1");
        assertThat(toCandidate.out()).contains("from commit 1 to the candidate", "+ filter 1", "+ container db");
        assertThat(xnet.c("show commit 9").err()).contains("no commit 9");

        Xnet.Result back = xnet.c("rollback 1; commit");
        assertThat(back.status()).as(back.all()).isZero();
        JsonNode third = null;
        for (JsonNode record : JSON.readTree(xnet.c("history --json").out())) {
            third = record.get("commit").asInt() == 3 ? record : third;
        }
        assertThat(third).isNotNull();
        assertThat(third.get("comment").asText()).isEqualTo("rollback to commit 1");
        assertThat(third.get("summary").get("removed").asInt()).isEqualTo(1);
        assertThat(xnet.c("rebase").out()).contains("already based on the newest commit (3)");
    }

    @Test
    void countersClearPerRuleAndAllAtOnce() throws Exception {
        assertThat(xnet.c("bridge add br1 10.0.1.0/24; container add web --bridge br1; "
                + "filter add drop from 10.0.0.2 proto icmp; filter add drop from 10.9.0.0/16; commit").status()).isZero();
        ping(3);
        assertThat(packets(1)).isEqualTo(3);
        assertThat(xnet.c("clear counters 2").status()).isZero();
        assertThat(packets(1)).as("another rule's clear").isEqualTo(3);
        assertThat(xnet.c("clear counters 1").out()).contains("counters of filter 1 cleared");
        assertThat(packets(1)).isZero();
        ping(2);
        assertThat(packets(1)).isEqualTo(2);
        assertThat(xnet.c("clear counters").status()).isZero();
        assertThat(packets(1)).isZero();
        Xnet.Result unknown = xnet.c("clear counters 7");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("no running filter rule 7");

        assertThat(xnet.c("datapath nftables; commit").status()).isZero();
        ping(2);
        assertThat(packets(1)).isEqualTo(2);
        assertThat(xnet.c("clear counters 1").err()).contains("clears every rule");
        assertThat(xnet.c("clear counters").status()).isZero();
        assertThat(packets(1)).isZero();
        ping(1);
        assertThat(packets(1)).as("the rules still count after the reset").isEqualTo(1);
    }

    /** Pings from outside that rule 1 drops. */
    private void ping(int count) throws Exception {
        Xnet.Result ping = xnet.c("exec outside -- ping -c " + count + " -i 0.2 -W 1 10.0.1.2");
        assertThat(ping.status()).as(ping.all()).isNotZero();
    }

    private long packets(int rule) throws Exception {
        for (JsonNode r : JSON.readTree(xnet.c("show counters --json").out()).get("rules")) {
            if (r.get("id").asInt() == rule) {
                return r.get("packets").asLong();
            }
        }
        throw new AssertionError("no rule " + rule);
    }
}
