package xnet.bpf;

import java.util.List;

import jnr.constants.platform.Errno;

/** A failed libbpf or kernel call: the operation, the errno and, when there is one, the log. */
public class BpfException extends RuntimeException implements xnet.session.LogCarrying {

    private final int errno;
    private final String log;

    public BpfException(String operation, int errno, String log) {
        super(operation + ": " + describe(errno));
        this.errno = errno;
        this.log = log == null ? "" : log;
    }

    public int errno() {
        return errno;
    }

    /** The last lines of the log that say why (the verifier's verdict), for error messages. */
    @Override
    public String logTail(int lines) {
        List<String> all = log.lines().filter(l -> !l.isBlank()).toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** What libbpf printed during the call (the verifier's log when a load failed). */
    public String log() {
        return log;
    }

    /** Whether the call failed with this errno. */
    public boolean is(Errno expected) {
        return errno == expected.intValue();
    }

    /** "already exists (EEXIST)", with a hint where the errno has a usual cause in xnet. */
    static String describe(int errno) {
        Errno known = Errno.valueOf(errno);
        if (known == Errno.__UNKNOWN_CONSTANT__) {
            return "errno " + errno;
        }
        String hint = switch (known) {
            case E2BIG -> ": the program exceeds the verifier's limits";
            case EACCES -> ": the verifier rejected the program";
            default -> "";
        };
        return known.description().toLowerCase(java.util.Locale.ROOT) + " (" + known.name() + ")" + hint;
    }
}
