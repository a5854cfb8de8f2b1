package xnet.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import xnet.model.Bridge;
import xnet.model.Cidr;
import xnet.model.Config;
import xnet.model.Container;
import xnet.model.Ipv4;

/** The host links against the running config, and which differences a commit leaves as they are. */
class LinkDriftTest {

    private static final Config RUNNING = Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.0.1.0/24"), null))
            .withContainer(new Container("web", "br1", Ipv4.parse("10.0.1.2")))
            .withContainer(new Container("db", "br1", Ipv4.parse("10.0.1.3")));

    @Test
    void aVethOffItsBridgeOrDownOrGoneIsDriftUntilTheCommitMakesItsContainerAnew() {
        Map<String, LinkDrift.Link> links = Map.of("br1", new LinkDrift.Link("br1", null, true),
                "v-web", new LinkDrift.Link("v-web", null, true), "v-db", new LinkDrift.Link("v-db", "br1", false));
        assertThat(LinkDrift.of(RUNNING, links)).extracting(LinkDrift.Finding::what).containsExactly(
                "v-db (container db's veth) is down", "v-web (container web's veth) is not on bridge br1 (on none)");
        assertThat(LinkDrift.of(RUNNING, Map.of())).extracting(LinkDrift.Finding::what)
                .contains("bridge br1 is missing", "v-web (container web's veth) is missing");
        Config webDeleted = Config.EMPTY.withBridge(RUNNING.bridges().get("br1"))
                .withContainer(RUNNING.containers().get("db"));
        assertThat(LinkDrift.untouchedBy(LinkDrift.of(RUNNING, links), RUNNING, webDeleted))
                .extracting(LinkDrift.Finding::object).containsExactly("container db");
        assertThat(LinkDrift.of(RUNNING, Map.of("br1", new LinkDrift.Link("br1", null, true),
                "v-web", new LinkDrift.Link("v-web", "br1", true), "v-db", new LinkDrift.Link("v-db", "br1", true))))
                .isEmpty();
    }
}
