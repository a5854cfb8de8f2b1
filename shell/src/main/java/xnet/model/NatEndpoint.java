package xnet.model;

/**
 * One side of a NAT rule as typed: IP or IP:PORT, and for IPv6 ADDR or [ADDR]:PORT (the brackets
 * of RFC 3986, since the address has colons of its own). Port 0 means the whole address.
 */
public record NatEndpoint(IpAddress ip, int port) {

    private static final String FORMS = "IP, IP:PORT, IPV6 or [IPV6]:PORT (port 1-65535)";

    public static NatEndpoint parse(String text) {
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 < text.length() && text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("'" + text + "' is not " + FORMS);
            }
            Ipv6 ip = Ipv6.parse(text.substring(1, close));
            return new NatEndpoint(ip, close + 1 == text.length() ? 0 : port(text, text.substring(close + 2)));
        }
        int colon = text.indexOf(':');
        if (colon < 0 || text.indexOf(':', colon + 1) >= 0) {
            return new NatEndpoint(IpAddress.parse(text), 0); // no port, or an IPv6 address's own colons
        }
        return new NatEndpoint(Ipv4.parse(text.substring(0, colon)), port(text, text.substring(colon + 1)));
    }

    private static int port(String text, String port) {
        if (!Digits.ascii(port, 5) || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("'" + text + "' is not " + FORMS);
        }
        return Integer.parseInt(port);
    }

    /** An endpoint as typed: IP:PORT, or [IPV6]:PORT; the address alone for port 0. */
    public static String text(IpAddress ip, int port) {
        if (port == 0) {
            return ip.toString();
        }
        return (ip instanceof Ipv6 ? "[" + ip + "]" : ip.toString()) + ":" + port;
    }
}
