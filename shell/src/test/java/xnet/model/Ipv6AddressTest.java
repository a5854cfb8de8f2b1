package xnet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Ipv6AddressTest {

    @Test
    void printsTheCanonicalFormOfRfc5952() {
        String[][] cases = {
                {"2001:DB8:0:0:0:0:0:1", "2001:db8::1"},
                {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},       // the first of two equal runs
                {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},    // one zero group is not shortened
                {"0:0:0:0:0:0:0:0", "::"},
                {"::1", "::1"},
                {"fd00:1::", "fd00:1::"},
                {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},              // the longest run
                {"fd00::10.0.0.1", "fd00::a00:1"},
                {"::ffff:192.0.2.1", "::ffff:c000:201"},
                {"1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"},
        };
        for (String[] c : cases) {
            assertThat(Ipv6.parse(c[0]).toString()).as(c[0]).isEqualTo(c[1]);
            assertThat(Ipv6.parse(c[1])).as(c[1]).isEqualTo(Ipv6.parse(c[0]));
        }
    }

    @Test
    void rejectsMalformedAddresses() {
        for (String bad : new String[] {"", ":", "1::2::3", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "12345::", "g::1",
                "1:2:3:4:5:6:7::8", "::1.2.3", "10.0.0.1", "1:::2", ":1::", "1::2:"}) {
            assertThatThrownBy(() -> Ipv6.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void addsWithinAndAcrossTheHalves() {
        assertThat(Ipv6.parse("fd00:1::").plus(2)).isEqualTo(Ipv6.parse("fd00:1::2"));
        assertThat(Ipv6.parse("::ffff:ffff:ffff:ffff").plus(1)).isEqualTo(Ipv6.parse("0:0:0:1::"));
        assertThat(Ipv6.parse("2001:db8::1").bytes()).startsWith(0x20, 0x01, 0x0d, 0xb8).endsWith(0, 1);
    }

    @Test
    void prefixesRefuseHostBitsAndKnowTheirAddresses() {
        assertThatThrownBy(() -> Cidr6.parse("fd00:1::5/64")).hasMessageContaining("did you mean fd00:1::/64");
        assertThatThrownBy(() -> Cidr6.parse("fd00:1::/129")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Cidr6.parse("fd00:1::")).hasMessageContaining("expected ADDR/LEN");
        Cidr6 net = Cidr6.parse("fd00:1::/64");
        assertThat(net.contains(Ipv6.parse("fd00:1::ffff:1"))).isTrue();
        assertThat(net.contains(Ipv6.parse("fd00:2::1"))).isFalse();
        assertThat(net.gateway()).isEqualTo(Ipv6.parse("fd00:1::1"));
        assertThat(net.overlaps(Cidr6.parse("fd00::/16"))).isTrue();
        assertThat(net.overlaps(Cidr6.parse("fd00:1:0:0:8000::/65"))).isTrue();
        assertThat(net.overlaps(Cidr6.parse("fd00:2::/64"))).isFalse();
        assertThat(Cidr6.parse("::/0").contains(Ipv6.parse("2001:db8::1"))).isTrue();
        assertThat(Cidr6.parse("2001:db8::1/128").contains(Ipv6.parse("2001:db8::1"))).isTrue();
        assertThat(Cidr6.parse("fd00::/120").size()).isEqualTo(256);
    }

    @Test
    void theUplinkTwinCarriesTheIpv4UplinkInItsLowBits() {
        assertThat(Cidr6.uplinkTwin(Cidr.parse("10.0.0.0/24"))).isEqualTo(Cidr6.parse("fd00::a00:0/120"));
        assertThat(Cidr6.uplinkTwin(Ipv4.parse("10.0.0.1"))).isEqualTo(Ipv6.parse("fd00::a00:1"));
    }
}
