package xnet.model;

/** A Linux bridge in the target's host namespace; the host owns the subnet's first address. */
public record Bridge(String name, Cidr subnet) {

    public Ipv4 gateway() {
        return subnet.gateway();
    }
}
