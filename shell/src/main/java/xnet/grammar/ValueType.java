package xnet.grammar;

/** What a value in a command is, which decides how it is checked and how it completes. */
public enum ValueType {
    NAME, CIDR, IPV4, INT,
    /** A commit number from the history; parsed like INT, completed from the history. */
    COMMIT, BRIDGE, CONTAINER, ENDPOINT, PROFILE, FILE, TEXT, CHOICE,
    /** Everything up to the end of the statement, as it was typed (the argv of `exec`). */
    REST
}
