package xnet.bpf;

import java.util.List;

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

    static String describe(int errno) {
        return switch (errno) {
            case 1 -> "operation not permitted (EPERM)";
            case 2 -> "no such file or entry (ENOENT)";
            case 7 -> "argument list too long (E2BIG): the program exceeds the verifier's limits";
            case 12 -> "out of memory (ENOMEM)";
            case 13 -> "permission denied (EACCES): the verifier rejected the program";
            case 14 -> "bad address (EFAULT)";
            case 16 -> "device or resource busy (EBUSY)";
            case 17 -> "already exists (EEXIST)";
            case 19 -> "no such device (ENODEV)";
            case 22 -> "invalid argument (EINVAL)";
            case 28 -> "no space left (ENOSPC)";
            case 95 -> "not supported (EOPNOTSUPP)";
            default -> "errno " + errno;
        };
    }
}
