package xnet.app;

import xnet.session.DatapathFaults;
import xnet.session.KernelException;
import xnet.session.PrepareHook;

/**
 * Failures injected at a chosen step, to show what a failed commit leaves: a testing aid, never
 * set in normal use. XNET_FAIL_AT_STEP=N fails step N (from 1) of prepare; XNET_FAIL_AT_SWAP=N
 * the N-th swap of apply; XNET_FAIL_AT_UNDO=N the N-th step of the revert that follows.
 */
public record Faults(PrepareHook prepare, DatapathFaults datapath) {

    public static final Faults NONE = new Faults(PrepareHook.NONE, DatapathFaults.NONE);

    public static Faults fromEnvironment() {
        int step = number("XNET_FAIL_AT_STEP");
        int swap = number("XNET_FAIL_AT_SWAP");
        int undo = number("XNET_FAIL_AT_UNDO");
        PrepareHook prepare = step == 0 ? PrepareHook.NONE : (index, action) -> {
            if (index + 1 == step) {
                throw new KernelException("injected failure (XNET_FAIL_AT_STEP=" + step + ") before: " + action.what());
            }
        };
        DatapathFaults datapath = swap == 0 && undo == 0 ? DatapathFaults.NONE : new DatapathFaults() {
            @Override
            public void beforeSwap(int index, String what) {
                if (index + 1 == swap) {
                    throw new KernelException("injected failure (XNET_FAIL_AT_SWAP=" + swap + ") before: " + what);
                }
            }

            @Override
            public void beforeUndo(int index, String what) {
                if (index + 1 == undo) {
                    throw new KernelException("injected failure (XNET_FAIL_AT_UNDO=" + undo + ")");
                }
            }
        };
        return new Faults(prepare, datapath);
    }

    private static int number(String variable) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? 0 : Integer.parseInt(value.trim());
    }
}
