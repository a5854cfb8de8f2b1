package xnet.session;

/** A kernel-side operation that failed; the message names the operation and the cause. */
public class KernelException extends RuntimeException {

    public KernelException(String message) {
        super(message);
    }

    public KernelException(String message, Throwable cause) {
        super(message, cause);
    }
}
