package xnet.model;

/**
 * Static NAT: traffic to the public address (and port) goes to the private one; replies of those
 * connections go back from the public address. Port 0 on both sides: the whole address.
 */
public record NatRule(int id, Ipv4 publicIp, int publicPort, Ipv4 privateIp, int privatePort, Proto proto) {

    public boolean wholeAddress() {
        return publicPort == 0;
    }

    public String text() {
        if (wholeAddress()) {
            return publicIp + " -> " + privateIp;
        }
        return publicIp + ":" + publicPort + " -> " + privateIp + ":" + privatePort + " proto " + proto;
    }
}
