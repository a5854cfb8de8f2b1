package xnet.session;

/** A failure that comes with a log worth quoting (the verifier's, the compiler's). */
public interface LogCarrying {

    /** The last lines that say why, or an empty string. */
    String logTail(int lines);
}
