package xnet.model;

/** One side of a NAT rule as typed: IP or IP:PORT. Port 0 means the whole address. */
public record NatEndpoint(Ipv4 ip, int port) {

    public static NatEndpoint parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            return new NatEndpoint(Ipv4.parse(text), 0);
        }
        String port = text.substring(colon + 1);
        if (!Digits.ascii(port, 5)
                || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("'" + text + "' is not IP or IP:PORT (port 1-65535)");
        }
        return new NatEndpoint(Ipv4.parse(text.substring(0, colon)), Integer.parseInt(port));
    }
}
