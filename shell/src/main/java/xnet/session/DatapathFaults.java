package xnet.session;

/**
 * Called before each swap of apply and each step of a revert; tests use it to make one fail,
 * to show that a failed apply is taken back and that a revert that cannot finish says so.
 */
public interface DatapathFaults {

    DatapathFaults NONE = new DatapathFaults() {
    };

    /** Before swap {@code index} (from 0) of an apply. */
    default void beforeSwap(int index, String what) {
    }

    /** Before undo step {@code index} (from 0, newest first) of a revert. */
    default void beforeUndo(int index, String what) {
    }
}
