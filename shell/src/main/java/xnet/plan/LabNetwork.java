package xnet.plan;

import xnet.model.Cidr;
import xnet.model.Ipv4;
import xnet.model.Names;

/**
 * A lab's place on its outside network: the host's uplink address and prefix, and the underlay
 * it shares with other labs (null: an outside network of its own). The outside end always has
 * the subnet's second address (10.0.0.2 by default), so a host may not take that one.
 */
public record LabNetwork(Ipv4 uplinkAddress, int prefix, String underlay) {

    public static final LabNetwork DEFAULT = new LabNetwork(Ipv4.parse("10.0.0.1"), 24, null);

    public LabNetwork {
        if (prefix < 8 || prefix > 30) {
            throw new IllegalArgumentException("uplink prefix /" + prefix + " must be between /8 and /30");
        }
        Cidr subnet = Cidr.containing(uplinkAddress, prefix);
        if (uplinkAddress.equals(subnet.network()) || uplinkAddress.equals(subnet.broadcast())) {
            throw new IllegalArgumentException("uplink " + uplinkAddress + "/" + prefix
                    + " is the network or broadcast address of " + subnet);
        }
        if (uplinkAddress.equals(subnet.network().plus(2))) {
            throw new IllegalArgumentException("uplink " + uplinkAddress + " is the outside's own address in "
                    + subnet + "; choose another");
        }
        if (underlay != null && Names.labNameProblem(underlay) != null) {
            throw new IllegalArgumentException(Names.labNameProblem(underlay).replace("lab name", "underlay name"));
        }
    }

    /** "10.0.0.3/24": an address with its prefix (host bits expected). */
    public static LabNetwork of(String uplink, String underlay) {
        String text = uplink == null ? DEFAULT.uplinkAddress() + "/" + DEFAULT.prefix() : uplink;
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("--uplink '" + text + "' must be ADDRESS/PREFIX, e.g. 10.0.0.3/24");
        }
        String length = text.substring(slash + 1);
        if (!xnet.model.Digits.ascii(length, 2)) {
            throw new IllegalArgumentException("--uplink '" + text + "' must be ADDRESS/PREFIX, e.g. 10.0.0.3/24");
        }
        int prefix = Integer.parseInt(length);
        return new LabNetwork(Ipv4.parse(text.substring(0, slash)), prefix, underlay);
    }

    public Cidr subnet() {
        return Cidr.containing(uplinkAddress, prefix);
    }

    public Ipv4 outsideAddress() {
        return subnet().network().plus(2);
    }

    /** As the launcher takes it: "--uplink 10.0.0.3/24 --underlay u1". */
    public String options() {
        return "--uplink " + uplinkAddress + "/" + prefix + (underlay == null ? "" : " --underlay " + underlay);
    }
}
