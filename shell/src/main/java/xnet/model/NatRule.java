package xnet.model;

/**
 * Static NAT: traffic to the public address (and port) goes to the private one; replies of those
 * connections go back from the public address. Port 0 on both sides: the whole address. Both
 * addresses are of one family (the validator says so when they are not).
 */
public record NatRule(int id, IpAddress publicIp, int publicPort, IpAddress privateIp, int privatePort, Proto proto) {

    public boolean wholeAddress() {
        return publicPort == 0;
    }

    public Family family() {
        return publicIp.family();
    }

    public String text() {
        if (wholeAddress()) {
            return publicIp + " -> " + privateIp;
        }
        return NatEndpoint.text(publicIp, publicPort) + " -> " + NatEndpoint.text(privateIp, privatePort) + " proto " + proto;
    }
}
