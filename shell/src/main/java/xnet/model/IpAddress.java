package xnet.model;

import com.fasterxml.jackson.annotation.JsonCreator;

/** An address of either family, where either will do (a tunnel's underlay endpoints). */
public sealed interface IpAddress permits Ipv4, Ipv6 {

    Family family();

    /** An IPv6 address when the text has a colon, else an IPv4 one. */
    @JsonCreator
    static IpAddress parse(String text) {
        return text.indexOf(':') >= 0 ? Ipv6.parse(text) : Ipv4.parse(text);
    }
}
