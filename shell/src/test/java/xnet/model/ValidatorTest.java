package xnet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Rules and NAT against the topology: an edit is refused with the words a commit lists. */
class ValidatorTest {

    private final Validator validator = new Validator(List.of(Cidr.parse("10.0.0.0/24")), Ipv4.parse("10.0.0.2"));
    private final ConfigEditor topology = new ConfigEditor(validator);
    private final RuleEditor rules = new RuleEditor(validator);
    private final Config web = topology.addContainer(topology.addBridge(Config.EMPTY, "br1", Cidr.parse("10.0.1.0/24")),
            "web", "br1", Optional.of(Ipv4.parse("10.0.1.2")));

    private static NatEndpoint at(String text) {
        return NatEndpoint.parse(text);
    }

    @Test
    void aBridgeANatRulePointsIntoCannotBeDeleted() {
        Config nat = rules.addNat(topology.deleteContainer(web, "web"), at("10.0.0.1:80"), at("10.0.1.2:8080"), null);
        assertThatThrownBy(() -> topology.deleteBridge(nat, "br1")).isInstanceOf(ConfigException.class)
                .hasMessage("bridge br1 still has nat 1 (10.0.0.1:80 -> 10.0.1.2:8080 proto tcp) pointing into it;"
                        + " delete it first");
        Config another = topology.addBridge(nat, "br9", Cidr.parse("10.0.9.0/24"));
        assertThat(topology.deleteBridge(another, "br9").bridges()).containsOnlyKeys("br1");
    }

    @Test
    void aBridgeMayNotCoverAPublicAddress() {
        Config nat = rules.addNat(web, at("10.0.0.1:80"), at("10.0.1.2:8080"), null);
        assertThat(validator.check(nat)).isEmpty();
        Config covering = nat.withBridge(new Bridge("br0", Cidr.parse("10.0.0.0/30")));
        assertThat(validator.check(covering)).extracting(Problem::toString).contains(
                "nat 1: public address 10.0.0.1 is inside bridge br0 (10.0.0.0/30); a public address is one the outside"
                        + " reaches");
    }

    @Test
    void natEditsAndCommitsUseTheSameWords() {
        assertThatThrownBy(() -> rules.addNat(web, at("10.0.0.1:80"), at("10.0.5.2:8080"), null))
                .hasMessage("private address 10.0.5.2 is not on any bridge");
        Config orphan = web.withNat(new NatRule(1, Ipv4.parse("10.0.0.1"), 80, Ipv4.parse("10.0.5.2"), 8080, Proto.TCP));
        assertThat(validator.check(orphan)).extracting(Problem::toString)
                .containsExactly("nat 1: private address 10.0.5.2 is not on any bridge");
        assertThatThrownBy(() -> rules.addNat(web, at("10.0.0.2:80"), at("10.0.1.2:80"), null))
                .hasMessage("public address 10.0.0.2 belongs to the outside namespace");
        assertThatThrownBy(() -> rules.addNat(web, at("192.168.1.1"), at("10.0.1.2"), null))
                .hasMessage("public address 192.168.1.1 must be on the uplink subnet 10.0.0.0/24 so that the outside"
                        + " can reach it");
    }

    @Test
    void twoRulesMayNotTranslateTheSameAddressAndPort() {
        Config one = rules.addNat(web, at("10.0.0.1:80"), at("10.0.1.2:8080"), null);
        assertThatThrownBy(() -> rules.addNat(one, at("10.0.0.1:80"), at("10.0.1.3:80"), null))
                .hasMessage("10.0.0.1:80 tcp is already translated by nat 1 (10.0.0.1:80 -> 10.0.1.2:8080 proto tcp)");
        assertThat(rules.addNat(one, at("10.0.0.1:80"), at("10.0.1.3:80"), Proto.UDP).nats()).hasSize(2);
        Config whole = rules.addNat(web, at("10.0.0.5"), at("10.0.1.2"), null);
        assertThatThrownBy(() -> rules.addNat(whole, at("10.0.0.5"), at("10.0.1.3"), null))
                .hasMessageContaining("is already translated by nat 1");
    }

    /**
     * IPv6 NAT: both sides of one family, the private side on a bridge's IPv6 subnet, a whole
     * public address on the uplink's IPv6 twin, never the outside's own; its rules clash by the
     * bracketed form; the tables datapaths render it too.
     */
    @Test
    void ipv6NatRulesAreCheckedInTheirFamily() {
        Config dual = topology.addBridge(Config.EMPTY, "br1", Cidr.parse("10.0.1.0/24"), Cidr6.parse("fd00:1::/64"));
        Config one = rules.addNat(dual, at("[fd00::a00:1]:80"), at("[fd00:1::2]:8080"), null);
        assertThat(one.nats().get(0).text()).isEqualTo("[fd00::a00:1]:80 -> [fd00:1::2]:8080 proto tcp");
        assertThat(validator.check(one)).isEmpty();
        assertThatThrownBy(() -> rules.addNat(one, at("[fd00::a00:1]:80"), at("[fd00:1::3]:80"), null))
                .hasMessage("[fd00::a00:1]:80 tcp is already translated by nat 1 ([fd00::a00:1]:80 -> [fd00:1::2]:8080"
                        + " proto tcp)");
        assertThatThrownBy(() -> rules.addNat(dual, at("[fd00::a00:1]:80"), at("10.0.1.2:8080"), null))
                .hasMessage("public address fd00::a00:1 and private address 10.0.1.2 are of different families (IPv4 and"
                        + " IPv6): a NAT rule translates within one");
        assertThatThrownBy(() -> rules.addNat(web, at("[fd00::a00:1]:80"), at("[fd00:1::2]:8080"), null))
                .hasMessage("private address fd00:1::2 is not on any bridge with an IPv6 subnet");
        assertThatThrownBy(() -> rules.addNat(dual, at("2001:db8::1"), at("fd00:1::2"), null))
                .hasMessage("public address 2001:db8::1 must be on the uplink subnet fd00::a00:0/120 so that the outside"
                        + " can reach it");
        assertThatThrownBy(() -> rules.addNat(dual, at("fd00::a00:2"), at("fd00:1::2"), null))
                .hasMessage("public address fd00::a00:2 belongs to the outside namespace");
        assertThatThrownBy(() -> rules.addNat(dual, at("fd00:1::9"), at("fd00:1::2"), null))
                .hasMessageContaining("public address fd00:1::9 is inside bridge br1 (fd00:1::/64)");
        Config nft = one.withDatapath(new Datapath(Datapath.Hook.NFTABLES, null, Datapath.Strategy.AUTO, java.util.Map.of()));
        // the kernel's tables render IPv6's NAT too (ip6tables' nat table, the inet table's ip6 rules)
        assertThat(validator.check(nft)).as("IPv6 NAT on nftables").isEmpty();
        assertThat(rules.setHook(one, Datapath.Hook.IPTABLES, null, null).datapath().hook()).isEqualTo(Datapath.Hook.IPTABLES);
        Config v4 = rules.addNat(web, at("10.0.0.1:80"), at("10.0.1.2:8080"), null)
                .withDatapath(new Datapath(Datapath.Hook.NFTABLES, null, Datapath.Strategy.AUTO, java.util.Map.of()));
        assertThat(validator.check(v4)).as("IPv4 NAT on nftables").isEmpty();
    }

    @Test
    void aPortNeedsAProtocolWithPorts() {
        assertThatThrownBy(() -> rules.addFilter(web, new FilterRule(0, FilterRule.Action.DROP, null, null, Proto.ICMP, PortRange.parse("80")), null)).hasMessage("port needs proto tcp or udp (it is the destination port)");
        Config bad = web.withFilters(List.of(new FilterRule(4, FilterRule.Action.DROP, null, null, Proto.ANY,
                PortRange.parse("80"))));
        assertThat(validator.check(bad)).extracting(Problem::toString)
                .containsExactly("filter 4: port needs proto tcp or udp (it is the destination port)");
    }

    @Test
    void ipv6RulesAreReadWrittenAndCheckedForOneFamily() {
        FilterRule v6 = FilterRuleSyntax.parse(1, "drop from 2001:db8::/32 to fd00:1::2 proto tcp port 443");
        assertThat(v6.from6()).isEqualTo(Cidr6.parse("2001:db8::/32"));
        assertThat(v6.to6()).isEqualTo(Cidr6.parse("fd00:1::2/128"));
        assertThat(v6.family()).isEqualTo(Family.IPV6);
        assertThat(v6.text()).isEqualTo("drop from 2001:db8::/32 to fd00:1::2/128 proto tcp port 443");
        assertThat(FilterRuleSyntax.parse(1, v6.text())).isEqualTo(v6);
        assertThat(FilterRuleSyntax.parse(2, "allow proto icmpv6").family()).isEqualTo(Family.IPV6);
        assertThat(FilterRuleSyntax.parse(3, "allow proto icmp").family()).isEqualTo(Family.IPV4);
        FilterRule both = FilterRuleSyntax.parse(4, "allow proto tcp port 22");
        assertThat(both.family()).isNull();
        assertThat(both.appliesTo(Family.IPV4) && both.appliesTo(Family.IPV6)).isTrue();

        assertThatThrownBy(() -> rules.addFilter(web, FilterRuleSyntax.parse(0, "drop from 10.0.0.0/8 to fd00::/8"), null))
                .hasMessageContaining("different families");
        assertThatThrownBy(() -> rules.addFilter(web, FilterRuleSyntax.parse(0, "drop to fd00::/8 proto icmp"), null))
                .hasMessageContaining("use proto icmpv6");
        assertThatThrownBy(() -> rules.addFilter(web, FilterRuleSyntax.parse(0, "drop to 10.0.0.0/8 proto icmpv6"), null))
                .hasMessageContaining("use proto icmp");
        Config tables = web.withFilters(List.of(v6)).withDatapath(new Datapath(Datapath.Hook.IPTABLES, null, null, null));
        assertThat(validator.check(tables)).as("the tables datapaths render IPv6 rules too").isEmpty();
    }

    @Test
    void theGrammarOfARuleIsWrittenOnce() {
        assertThat(FilterRuleSyntax.GRAMMAR).startsWith("<action:allow|drop> [log] [from <from:PREFIX>]")
                .contains("[proto <proto:tcp|udp|icmp|icmpv6>]");
        FilterRule rule = FilterRuleSyntax.parse(3, "drop from 10.0.0.0/8 proto udp port 53");
        assertThat(rule.text()).isEqualTo("drop from 10.0.0.0/8 proto udp port 53");
        FilterRule logged = FilterRuleSyntax.parse(4, "drop log to 10.0.1.2/32 proto tcp port 22");
        assertThat(logged.log()).isTrue();
        assertThat(logged.text()).isEqualTo("drop log to 10.0.1.2/32 proto tcp port 22");
        assertThat(logged.sameRule(logged.withId(9))).isTrue();
        assertThat(logged.sameRule(new FilterRule(4, logged.action(), logged.from(), logged.to(), logged.proto(),
                logged.port()))).isFalse();
        assertThatThrownBy(() -> FilterRuleSyntax.parse(5, "drop from")).hasMessage("'from' has no value");
    }

    @Test
    void onlyADropRuleLogs() {
        assertThatThrownBy(() -> rules.addFilter(web, new FilterRule(0, FilterRule.Action.ALLOW, null, null, Proto.ANY,
                null, true), null)).hasMessage("log reports dropped packets: only a drop rule can log");
        Config logged = rules.addFilter(web, new FilterRule(0, FilterRule.Action.DROP, null, null, Proto.ICMP, null,
                true), null);
        assertThat(logged.filters().get(logged.filters().size() - 1).text()).isEqualTo("drop log proto icmp");
    }

    @Test
    void anAttachedNamespaceIsFoundOneWayAndItsDeviceNameFits() {
        Config base = topology.deleteContainer(web, "web");
        Config attached = topology.addContainer(base, "db", "br1", Optional.empty(),
                new Container.Foreign("/run/netns/db", null, null));
        assertThat(attached.containers().get("db").device()).isEqualTo("eth0");
        assertThatThrownBy(() -> topology.addContainer(base, "db", "br1", Optional.empty(),
                new Container.Foreign(null, null, null)))
                .hasMessage("give the namespace as --netns PATH or --pid PID (one of them)");
        assertThatThrownBy(() -> topology.addContainer(base, "db", "br1", Optional.empty(),
                new Container.Foreign("/run/netns/db", 42L, null))).hasMessageContaining("one of them");
        assertThatThrownBy(() -> topology.addContainer(base, "db", "br1", Optional.empty(),
                new Container.Foreign("db", null, null))).hasMessageContaining("must be an absolute path");
        assertThatThrownBy(() -> topology.addContainer(base, "db", "br1", Optional.empty(),
                new Container.Foreign(null, 42L, "a-very-long-interface-name"))).hasMessageContaining("--ifname:");
    }
}
