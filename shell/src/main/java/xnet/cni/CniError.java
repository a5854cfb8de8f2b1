package xnet.cni;

/** A CNI call that failed, with the spec's error code; it becomes the error result on stdout. */
public final class CniError extends RuntimeException {

    public static final int INCOMPATIBLE_VERSION = 1;
    public static final int UNSUPPORTED_FIELD = 2;
    public static final int UNKNOWN_CONTAINER = 3;
    public static final int INVALID_ENVIRONMENT = 4;
    public static final int IO_FAILURE = 5;
    public static final int DECODE_FAILURE = 6;
    public static final int INVALID_CONFIG = 7;
    public static final int TRY_AGAIN = 11;
    /** STATUS (1.1): the plugin cannot serve ADD now. */
    public static final int NOT_AVAILABLE = 50;
    /** Codes from 100 up are the plugin's own: here, a commit or kernel step that failed. */
    public static final int XNET_FAILED = 100;

    private final int code;
    private final String details;

    public CniError(int code, String message, String details) {
        super(message);
        this.code = code;
        this.details = details == null ? "" : details;
    }

    public CniError(int code, String message) {
        this(code, message, "");
    }

    public int code() {
        return code;
    }

    public String details() {
        return details;
    }
}
