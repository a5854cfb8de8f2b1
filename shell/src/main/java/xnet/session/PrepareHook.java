package xnet.session;

import xnet.plan.KernelAction;

/** Called before each action of prepare, and before a commit is recorded; tests use it to inject a failure or a stall. */
@FunctionalInterface
public interface PrepareHook {

    PrepareHook NONE = (index, action) -> { };

    void before(int index, KernelAction action);

    /** After the kernel changed, before the commit is recorded. */
    default void beforeRecord() {
    }
}
