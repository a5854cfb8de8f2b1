package xnet.grammar;

/** What a value in a command is, which decides how it is checked and how it completes. */
public enum ValueType {
    NAME, CIDR, IPV4, INT,
    /** An IPv6 subnet (ADDR/LEN) and an IPv6 address, as RFC 4291 writes them. */
    CIDR6, IPV6,
    /** An address of either family (IPv6 when it has a colon). */
    IP,
    /** An address or a prefix: A.B.C.D means A.B.C.D/32 (the study's rule form). */
    PREFIX,
    /** A destination port or range, N or N-M. */
    PORTS,
    /** Connection states, comma-separated: new, established, related. */
    STATES,
    /** A filter rule id, completed from the candidate. */
    FILTER_RULE,
    /** A NAT rule id, completed from the candidate. */
    NAT_RULE,
    /** An attach point: the uplink, or a container (its host-side veth). */
    ATTACH,
    /** A commit number from the history; parsed like INT, completed from the history. */
    COMMIT, BRIDGE, CONTAINER, TUNNEL, ENDPOINT, PROFILE, FILE, TEXT, CHOICE,
    /** A time span: whole minutes (as Junos takes them), or a number with its unit, 90s, 10m, 2h. */
    DURATION,
    /** Everything up to the end of the statement, as it was typed (the argv of `exec`). */
    REST
}
