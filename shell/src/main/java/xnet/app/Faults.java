package xnet.app;

import xnet.plan.KernelAction;
import xnet.session.DatapathFaults;
import xnet.session.KernelException;
import xnet.session.PrepareHook;

/**
 * Failures injected at a chosen step, to show what a failed commit leaves: a testing aid, never
 * set in normal use. XNET_FAIL_AT_STEP=N fails step N (from 1) of prepare; XNET_FAIL_AT_SWAP=N
 * the N-th swap of apply (swap 1 of an in-place update is its flip); XNET_FAIL_AT_UNDO=N the N-th
 * step of the revert that follows. XNET_STALL_AT waits at a point instead (see {@link #stallAt}).
 */
public record Faults(PrepareHook prepare, DatapathFaults datapath) {

    public static final Faults NONE = new Faults(PrepareHook.NONE, DatapathFaults.NONE);

    public static Faults fromEnvironment() {
        int step = number("XNET_FAIL_AT_STEP");
        int swap = number("XNET_FAIL_AT_SWAP");
        int undo = number("XNET_FAIL_AT_UNDO");
        String stall = System.getenv().getOrDefault("XNET_STALL_AT", "");
        PrepareHook prepare = step == 0 && stall.isEmpty() ? PrepareHook.NONE : new PrepareHook() {
            @Override
            public void before(int index, KernelAction action) {
                stallAt(stall, "step:" + (index + 1));
                if (index + 1 == step) {
                    throw new KernelException("injected failure (XNET_FAIL_AT_STEP=" + step + ") before: " + action.what());
                }
            }

            @Override
            public void beforeRecord() {
                stallAt(stall, "record");
            }
        };
        DatapathFaults datapath = swap == 0 && undo == 0 && stall.isEmpty() ? DatapathFaults.NONE : new DatapathFaults() {
            @Override
            public void beforeSwap(int index, String what) {
                stallAt(stall, "swap:" + (index + 1));
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

    /**
     * XNET_STALL_AT=step:N, swap:N or record: says so on stderr and waits there for ten minutes,
     * so that a crash test can kill the process at exactly that point.
     */
    private static void stallAt(String wanted, String here) {
        if (!wanted.equals(here)) {
            return;
        }
        System.err.println("xnet: stalled at " + here);
        System.err.flush();
        try {
            Thread.sleep(600_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int number(String variable) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? 0 : Integer.parseInt(value.trim());
    }
}
