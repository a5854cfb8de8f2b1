package xnet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AddressTest {

    @Test
    void parsesAndPrintsAddresses() {
        assertThat(Ipv4.parse("10.0.1.2").toString()).isEqualTo("10.0.1.2");
        assertThat(Ipv4.parse("255.255.255.255").unsigned()).isEqualTo(0xffffffffL);
        assertThat(Ipv4.parse("10.0.1.255").plus(1)).isEqualTo(Ipv4.parse("10.0.2.0"));
    }

    @Test
    void rejectsMalformedAddresses() {
        for (String bad : new String[] {"10.0.1", "10.0.1.256", "a.b.c.d", "10..1.2", "10.0.1.2.3", "", "1.2.3.-4"}) {
            assertThatThrownBy(() -> Ipv4.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not an IPv4 address");
        }
    }

    @Test
    void cidrRejectsHostBitsAndSuggestsTheNetwork() {
        assertThatThrownBy(() -> Cidr.parse("10.0.1.5/24")).hasMessageContaining("did you mean 10.0.1.0/24");
        assertThatThrownBy(() -> Cidr.parse("10.0.1.0/33")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Cidr.parse("10.0.1.0")).hasMessageContaining("expected A.B.C.D/LEN");
    }

    @Test
    void cidrContainmentAndOverlap() {
        Cidr net = Cidr.parse("10.0.1.0/24");
        assertThat(net.contains(Ipv4.parse("10.0.1.200"))).isTrue();
        assertThat(net.contains(Ipv4.parse("10.0.2.1"))).isFalse();
        assertThat(net.gateway()).isEqualTo(Ipv4.parse("10.0.1.1"));
        assertThat(net.broadcast()).isEqualTo(Ipv4.parse("10.0.1.255"));
        assertThat(net.overlaps(Cidr.parse("10.0.0.0/16"))).isTrue();
        assertThat(net.overlaps(Cidr.parse("10.0.2.0/24"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(Ipv4.parse("1.2.3.4"))).isTrue();
    }

    /** Only ASCII digits are numbers: other scripts' digits (Arabic-Indic, full-width) are refused. */
    @Test
    void numbersAreAsciiDigitsOnly() {
        assertThatThrownBy(() -> Ipv4.parse("\u0661\u0660.\u0660.\u0660.\u0661")).hasMessageContaining("not an IPv4 address");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/\u0661\u0666")).hasMessageContaining("not a CIDR");
        assertThatThrownBy(() -> PortRange.parse("\uff12\uff12")).hasMessageContaining("not a port");
        assertThatThrownBy(() -> NatEndpoint.parse("10.0.0.1:\uff18\uff10")).hasMessageContaining("is not IP, IP:PORT, IPV6 or [IPV6]:PORT");
    }

    /** IPv6 endpoints: bare for the whole address, in brackets with a port (RFC 3986's form). */
    @Test
    void natEndpointsOfBothFamilies() {
        assertThat(NatEndpoint.parse("[fd00::a00:1]:80")).isEqualTo(new NatEndpoint(Ipv6.parse("fd00::a00:1"), 80));
        assertThat(NatEndpoint.parse("fd00:1::2")).isEqualTo(new NatEndpoint(Ipv6.parse("fd00:1::2"), 0));
        assertThat(NatEndpoint.parse("[fd00:1::2]")).isEqualTo(new NatEndpoint(Ipv6.parse("fd00:1::2"), 0));
        assertThat(NatEndpoint.parse("10.0.0.1:80")).isEqualTo(new NatEndpoint(Ipv4.parse("10.0.0.1"), 80));
        assertThatThrownBy(() -> NatEndpoint.parse("[fd00::1]80")).hasMessageContaining("is not IP, IP:PORT");
        assertThatThrownBy(() -> NatEndpoint.parse("[fd00::1]:0")).hasMessageContaining("is not IP, IP:PORT");
        assertThatThrownBy(() -> NatEndpoint.parse("[10.0.0.1]:80")).hasMessageContaining("not an IPv6 address");
        assertThatThrownBy(() -> NatEndpoint.parse("fd00::1:80:")).hasMessageContaining("not an IPv6 address");
        assertThat(NatEndpoint.text(Ipv6.parse("fd00::1"), 80)).isEqualTo("[fd00::1]:80");
        assertThat(NatEndpoint.text(Ipv4.parse("10.0.0.1"), 80)).isEqualTo("10.0.0.1:80");
    }

    @Test
    void portZeroIsNoDestinationPort() {
        assertThatThrownBy(() -> PortRange.parse("0")).hasMessageContaining("port 0 is no destination port");
        assertThatThrownBy(() -> PortRange.parse("0-80")).hasMessageContaining("port 0 is no destination port");
        assertThat(PortRange.parse("1-65535")).isEqualTo(new PortRange(1, 65535));
    }

    @Test
    void namesTheKernelRefusesAreRefusedAtOnce() {
        for (String reserved : new String[] {"default", "all"}) {
            assertThat(Names.bridgeNameProblem(reserved)).contains("reserved by the kernel");
            assertThat(Names.deviceNameProblem(reserved)).contains("reserved by the kernel");
        }
        assertThat(Names.deviceNameProblem("..")).contains("reserved by the kernel");
        assertThat(Names.bridgeNameProblem("defaults")).isNull();
    }
}
