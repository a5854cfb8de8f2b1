package xnet.session;

import xnet.plan.KernelAction;

/** Called before each action of prepare; tests use it to inject a failure at a chosen step. */
@FunctionalInterface
public interface PrepareHook {

    PrepareHook NONE = (index, action) -> { };

    void before(int index, KernelAction action);
}
