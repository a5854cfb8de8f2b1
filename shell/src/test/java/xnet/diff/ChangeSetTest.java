package xnet.diff;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.groups.Tuple.tuple;

import java.util.List;

import org.junit.jupiter.api.Test;

import xnet.model.Bridge;
import xnet.model.Cidr;
import xnet.model.Config;
import xnet.model.Container;
import xnet.model.Datapath;
import xnet.model.FilterRule;
import xnet.model.Ipv4;
import xnet.model.NatRule;
import xnet.model.Proto;
import xnet.model.Tunnel;

class ChangeSetTest {

    @Test
    void reportsAddedRemovedAndChangedObjects() {
        Config running = Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.0.1.0/24")))
                .withBridge(new Bridge("br2", Cidr.parse("10.0.2.0/24")))
                .withContainer(new Container("a", "br1", Ipv4.parse("10.0.1.2")))
                .withContainer(new Container("b", "br1", Ipv4.parse("10.0.1.3")));
        Config candidate = running.withoutContainer("b").withoutBridge("br2")
                .withBridge(new Bridge("br3", Cidr.parse("10.0.3.0/24")))
                .withContainer(new Container("a", "br1", Ipv4.parse("10.0.1.9")));

        ChangeSet changes = ChangeSet.between(running, candidate);

        assertThat(changes.bridges()).extracting(Change::kind, Change::name).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Change.Kind.REMOVED, "br2"),
                org.assertj.core.groups.Tuple.tuple(Change.Kind.ADDED, "br3"));
        assertThat(changes.containers()).extracting(Change::kind, Change::name).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Change.Kind.CHANGED, "a"),
                org.assertj.core.groups.Tuple.tuple(Change.Kind.REMOVED, "b"));
        assertThat(changes.summary()).isEqualTo("+1 ~1 -2");
    }

    @Test
    void identicalConfigsHaveNoChanges() {
        Config c = Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.0.1.0/24")));
        assertThat(ChangeSet.between(c, c).isEmpty()).isTrue();
    }

    private static final Config BASE = Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.0.1.0/24")))
            .withContainer(new Container("a", "br1", Ipv4.parse("10.0.1.2")));

    private static FilterRule rule(int id, String from) {
        return new FilterRule(id, FilterRule.Action.DROP, Cidr.parse(from), null, null, null);
    }

    @Test
    void filterRulesByIdAndAMoveIsAChangeOfOrder() {
        Config running = BASE.withFilters(List.of(rule(1, "10.1.0.0/16"), rule(2, "10.2.0.0/16"), rule(3, "10.3.0.0/16")));
        Config candidate = BASE.withFilters(List.of(rule(3, "10.3.0.0/16"), rule(1, "10.1.0.0/16"),
                rule(2, "10.9.0.0/16"), rule(4, "10.4.0.0/16")));
        ChangeSet changes = ChangeSet.between(running, candidate);
        assertThat(changes.filters()).extracting(Change::kind, Change::name).containsExactly(
                tuple(Change.Kind.CHANGED, "2"), tuple(Change.Kind.ADDED, "4"));
        assertThat(ChangeSet.between(running, BASE.withFilters(List.of(rule(1, "10.1.0.0/16")))).filters())
                .extracting(Change::kind, Change::name).containsExactly(
                        tuple(Change.Kind.REMOVED, "2"), tuple(Change.Kind.REMOVED, "3"));
        assertThat(changes.settings()).extracting(Change::name).containsExactly("filter order");
        assertThat(changes.touchesRules()).isTrue();
    }

    @Test
    void natRulesById() {
        NatRule web = new NatRule(1, Ipv4.parse("10.0.0.1"), 80, Ipv4.parse("10.0.1.2"), 8080, Proto.TCP);
        NatRule moved = new NatRule(1, Ipv4.parse("10.0.0.1"), 80, Ipv4.parse("10.0.1.2"), 9090, Proto.TCP);
        NatRule whole = new NatRule(2, Ipv4.parse("10.0.0.5"), 0, Ipv4.parse("10.0.1.2"), 0, Proto.ANY);
        ChangeSet changes = ChangeSet.between(BASE.withNat(web), BASE.withNat(moved).withNat(whole));
        assertThat(changes.nats()).extracting(Change::kind, Change::name).containsExactly(
                tuple(Change.Kind.CHANGED, "1"), tuple(Change.Kind.ADDED, "2"));
        assertThat(changes.summary()).isEqualTo("+1 ~1 -0");
    }

    @Test
    void tunnelsByName() {
        Tunnel t = new Tunnel("t1", 42, Ipv4.parse("10.0.0.3"), null, null, Tunnel.DEFAULT_PORT, "br1");
        Tunnel otherRemote = new Tunnel("t1", 42, Ipv4.parse("10.0.0.4"), null, null, Tunnel.DEFAULT_PORT, "br1");
        assertThat(ChangeSet.between(BASE, BASE.withTunnel(t)).tunnels()).extracting(Change::kind)
                .containsExactly(Change.Kind.ADDED);
        assertThat(ChangeSet.between(BASE.withTunnel(t), BASE.withTunnel(otherRemote)).tunnels())
                .extracting(Change::kind).containsExactly(Change.Kind.CHANGED);
        assertThat(ChangeSet.between(BASE.withTunnel(t), BASE).touchesRules()).isFalse();
    }

    @Test
    void theDefaultActionAndTheDatapathAreSettings() {
        Config candidate = BASE.withDefaultAction(FilterRule.Action.DROP)
                .withDatapath(new Datapath(Datapath.Hook.XDP, Datapath.XdpMode.NATIVE, Datapath.Strategy.MAP, null));
        ChangeSet changes = ChangeSet.between(BASE, candidate);
        assertThat(changes.settings()).extracting(Change::name, Change::before, Change::after).containsExactly(
                tuple("filter default", "allow", "drop"),
                tuple("datapath", "tc, strategy auto", "xdp native, strategy map"));
        assertThat(changes.summary()).isEqualTo("+0 ~2 -0");
    }
}
