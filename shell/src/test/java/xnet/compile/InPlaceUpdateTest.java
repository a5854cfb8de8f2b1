package xnet.compile;

import static org.assertj.core.api.Assertions.assertThat;

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

class InPlaceUpdateTest {

    private static final Config MAP = Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.0.1.0/24")))
            .withContainer(new Container("web", "br1", Ipv4.parse("10.0.1.2")))
            .withFilters(List.of(new FilterRule(1, FilterRule.Action.DROP, Cidr.parse("10.9.0.0/16"), null, null, null)))
            .withDatapath(new Datapath(Datapath.Hook.TC, null, Datapath.Strategy.MAP, null));

    @Test
    void rulesAndTheDefaultActionGoIntoTheRunningMaps() {
        Config more = MAP.withFilters(List.of(MAP.filters().get(0),
                new FilterRule(2, FilterRule.Action.ALLOW, null, null, Proto.ICMP, null)));
        assertThat(InPlaceUpdate.possible(MAP, more)).isTrue();
        assertThat(InPlaceUpdate.possible(MAP, MAP.withDefaultAction(FilterRule.Action.DROP))).isTrue();
        assertThat(InPlaceUpdate.possible(MAP, MAP.withFilters(List.of()))).isTrue();
    }

    @Test
    void anythingElseLoadsNewPrograms() {
        assertThat(InPlaceUpdate.possible(MAP, MAP.withContainer(new Container("db", "br1", Ipv4.parse("10.0.1.3")))))
                .isFalse();
        assertThat(InPlaceUpdate.possible(MAP, MAP.withNat(new NatRule(1, Ipv4.parse("10.0.0.1"), 80,
                Ipv4.parse("10.0.1.2"), 80, Proto.TCP)))).isFalse();
        assertThat(InPlaceUpdate.possible(MAP, MAP.withDatapath(new Datapath(Datapath.Hook.XDP, null,
                Datapath.Strategy.MAP, null)))).isFalse();
        Config inline = MAP.withDatapath(new Datapath(Datapath.Hook.TC, null, Datapath.Strategy.INLINE, null));
        assertThat(InPlaceUpdate.possible(inline, inline.withFilters(List.of()))).isFalse();
        Config auto = MAP.withDatapath(Datapath.DEFAULT);
        assertThat(InPlaceUpdate.possible(auto, auto.withDefaultAction(FilterRule.Action.DROP)))
                .as("auto with few rules is inline").isFalse();
    }
}
