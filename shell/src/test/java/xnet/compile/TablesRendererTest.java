package xnet.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import xnet.model.Bridge;
import xnet.model.Cidr;
import xnet.model.Config;
import xnet.model.ConfigEditor;
import xnet.model.FilterRule;
import xnet.model.Ipv4;
import xnet.model.NatEndpoint;
import xnet.model.PortRange;
import xnet.model.Proto;
import xnet.model.RuleEditor;
import xnet.model.Validator;

class TablesRendererTest {

    private final RuleEditor rules = new RuleEditor(new Validator(List.of(Cidr.parse("10.0.0.0/24")), Ipv4.parse("10.0.0.2")));

    private Config config() {
        Config c = new ConfigEditor(new Validator(List.of())).addContainer(
                Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.0.1.0/24"))), "web", "br1", Optional.empty());
        c = rules.addFilter(c, new FilterRule(0, FilterRule.Action.DROP, Cidr.parse("172.16.0.0/12"), null, Proto.TCP, PortRange.parse("20-22")), null);
        c = rules.addFilter(c, new FilterRule(0, FilterRule.Action.ALLOW, null, Cidr.parse("10.0.1.2/32"), Proto.ICMP, null), null);
        c = rules.addFilter(c, new FilterRule(0, FilterRule.Action.DROP, Cidr.parse("10.9.0.0/16"), null, Proto.ANY, null,
                true), null);
        c = rules.addFilter(c, new FilterRule(0, FilterRule.Action.ALLOW, null, null, Proto.ANY, null,
                xnet.model.ConnStates.parse("related,established"), false), null);
        c = rules.addNat(c, NatEndpoint.parse("10.0.0.1:80"), NatEndpoint.parse("10.0.1.2:8080"), null);
        return c.withDefaultAction(FilterRule.Action.DROP);
    }

    @Test
    void iptablesRulesKeepOrderAndDefault() {
        String out = TablesRenderer.iptables(config());
        assertThat(out).containsSubsequence("*filter", ":XNET - [0:0]",
                "-A XNET -s 172.16.0.0/12 -p tcp --dport 20:22 -m comment --comment \"xnet 1\" -j DROP",
                "-A XNET -d 10.0.1.2/32 -p icmp -m comment --comment \"xnet 2\" -j ACCEPT",
                "-A XNET -s 10.9.0.0/16 -j LOG --log-prefix \"xnet 3: \"",
                "-A XNET -s 10.9.0.0/16 -m comment --comment \"xnet 3\" -j DROP",
                "-A XNET -m conntrack --ctstate ESTABLISHED,RELATED -m comment --comment \"xnet 4\" -j ACCEPT",
                "-A XNET -m comment --comment \"xnet default\" -j DROP", "-A FORWARD -j XNET", "COMMIT", "*nat",
                "-A XNET-PRE -d 10.0.0.1/32 -p tcp --dport 80 -j DNAT --to-destination 10.0.1.2:8080",
                "-A XNET-POST -s 10.0.1.0/24 -d 10.0.1.2/32 -p tcp --dport 8080 -j MASQUERADE", "COMMIT");
    }

    @Test
    void ipv6RulesGoToIp6tablesAndRulesForBothToBoth() {
        Config c = rules.addFilter(config(), xnet.model.FilterRuleSyntax.parse(0, "drop from fd00:2::/64 to fd00:1::2"
                + " proto tcp port 443"), null);
        c = rules.addFilter(c, xnet.model.FilterRuleSyntax.parse(0, "allow proto icmpv6"), null);
        String v4 = TablesRenderer.iptables(c);
        assertThat(v4).doesNotContain("fd00", "ipv6-icmp").contains("--comment \"xnet 4\"");
        String v6 = TablesRenderer.ip6tables(c);
        assertThat(v6).containsSubsequence("*filter", ":XNET - [0:0]",
                "-A XNET -p ipv6-icmp -m icmp6 --icmpv6-type 130 -j ACCEPT",
                "-A XNET -p ipv6-icmp -m icmp6 --icmpv6-type 143 -j ACCEPT",
                "-A XNET -m conntrack --ctstate ESTABLISHED,RELATED -m comment --comment \"xnet 4\" -j ACCEPT",
                "-A XNET -s fd00:2::/64 -d fd00:1::2/128 -p tcp --dport 443 -m comment --comment \"xnet 5\" -j DROP",
                "-A XNET -p ipv6-icmp -m comment --comment \"xnet 6\" -j ACCEPT",
                "-A XNET -m comment --comment \"xnet default\" -j DROP", "-A FORWARD -j XNET", "COMMIT");
        assertThat(v6).doesNotContain("10.9.0.0", "10.0.1.2").contains("*nat", "-A PREROUTING -j XNET-PRE");
        assertThat(TablesRenderer.nftables(c)).contains(
                "ip6 saddr fd00:2::/64 ip6 daddr fd00:1::2 tcp dport 443 counter drop comment \"xnet 5\"",
                "meta l4proto ipv6-icmp counter accept comment \"xnet 6\"");
    }

    /** IPv6 static NAT: DNAT in ip6tables' nat table and in the inet table's prerouting, and the hairpin masquerade. */
    @Test
    void ipv6NatGoesToIp6tablesAndTheInetTable() {
        Config c = new ConfigEditor(new Validator(List.of())).addContainer(Config.EMPTY.withBridge(new Bridge("br1",
                Cidr.parse("10.0.1.0/24"), xnet.model.Cidr6.parse("fd00:1::/64"))), "web", "br1", Optional.empty());
        c = rules.addNat(c, NatEndpoint.parse("[fd00::a00:1]:80"), NatEndpoint.parse("[fd00:1::2]:8080"), null);
        c = rules.addNat(c, NatEndpoint.parse("fd00::a00:9"), NatEndpoint.parse("fd00:1::2"), null);
        assertThat(TablesRenderer.iptables(c)).doesNotContain("fd00");
        assertThat(TablesRenderer.ip6tables(c)).containsSubsequence("*nat",
                "-A XNET-PRE -d fd00::a00:1/128 -p tcp --dport 80 -j DNAT --to-destination [fd00:1::2]:8080",
                "-A XNET-POST -s fd00:1::/64 -d fd00:1::2/128 -p tcp --dport 8080 -j MASQUERADE",
                "-A XNET-PRE -d fd00::a00:9/128 -j DNAT --to-destination fd00:1::2",
                "-A XNET-POST -s fd00:1::/64 -d fd00:1::2/128 -j MASQUERADE", "COMMIT");
        assertThat(TablesRenderer.nftables(c)).contains("ip6 daddr fd00::a00:1 tcp dport 80 dnat ip6 to [fd00:1::2]:8080",
                "ip6 daddr fd00::a00:9 dnat ip6 to fd00:1::2",
                "ip6 saddr fd00:1::/64 ip6 daddr fd00:1::2 tcp dport 8080 masquerade");
    }

    @Test
    void nftablesIsOneTransactionThatReplacesTheTable() {
        String out = TablesRenderer.nftables(config());
        assertThat(out).containsSubsequence("table inet xnet {}", "delete table inet xnet", "table ip xnet {}",
                "delete table ip xnet", "table inet xnet {",
                "icmpv6 type { mld-listener-query, mld-listener-report, mld-listener-done, nd-router-solicit,"
                        + " nd-router-advert, nd-neighbor-solicit, nd-neighbor-advert, mld2-listener-report } accept",
                "ip saddr 172.16.0.0/12 tcp dport 20-22 counter drop comment \"xnet 1\"",
                "ip daddr 10.0.1.2 meta l4proto icmp counter accept comment \"xnet 2\"",
                "ip saddr 10.9.0.0/16 counter log prefix \"xnet 3: \" drop comment \"xnet 3\"",
                "ct state established,related counter accept comment \"xnet 4\"",
                "counter drop comment \"xnet default\"", "hook forward", "hook input",
                "ip daddr 10.0.0.1 tcp dport 80 dnat ip to 10.0.1.2:8080",
                "ip saddr 10.0.1.0/24 ip daddr 10.0.1.2 tcp dport 8080 masquerade");
    }
}
