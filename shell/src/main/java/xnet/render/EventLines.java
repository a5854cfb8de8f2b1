package xnet.render;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import xnet.session.DatapathEvent;

/**
 * An event of `monitor` as one line, in the order tcpdump puts things: time, where, what
 * decided, then the packet.
 * <pre>
 * 10:51:22.123 web drop rule 3: tcp 10.0.2.1:40312 -> 10.0.1.2:22 [syn] 74 bytes
 * 10:51:23.020 uplink nat 1: tcp 10.0.2.1:40314 -> 10.0.0.1:80 => 10.0.1.2:8080 [syn] 74 bytes
 * </pre>
 */
public final class EventLines {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private EventLines() {
    }

    public static String line(DatapathEvent e, ZoneId zone) {
        StringBuilder out = new StringBuilder(120);
        out.append(TIME.format(e.time().atZone(zone))).append(' ').append(e.point()).append(' ');
        if (e.kind() == DatapathEvent.Kind.DROP) {
            out.append("drop rule ").append(e.rule() == null ? "?" : e.rule());
        } else {
            out.append("nat ").append(e.rule() == null ? "?" : e.rule());
        }
        boolean ports = e.showsPorts();
        out.append(": ").append(e.protoName()).append(' ').append(e.endpoint(true, ports))
                .append(" -> ").append(e.endpoint(false, ports));
        if (e.echoId() != null) {
            out.append(" echo id ").append(e.echoId());
        }
        if (e.translatedTo() != null) {
            out.append(" => ").append(DatapathEvent.endpoint(e.translatedTo(), e.translatedPort()));
        }
        if (!e.tcpFlagNames().isEmpty()) {
            out.append(" [").append(String.join(",", e.tcpFlagNames())).append(']');
        }
        return out.append(' ').append(e.length()).append(" bytes").toString();
    }
}
