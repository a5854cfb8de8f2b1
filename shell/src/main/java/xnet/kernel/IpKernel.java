package xnet.kernel;

import java.util.List;

import xnet.plan.TargetLayout;
import xnet.session.KernelPort;

/** The kernel side of topology commits, driven through iproute2 commands. */
public final class IpKernel implements KernelPort {

    private final TargetLayout layout;

    public IpKernel(TargetLayout layout) {
        this.layout = layout;
    }

    @Override
    public boolean baseExists() {
        return !layout.lab() || Netns.exists(layout.hostNamespace());
    }

    @Override
    public boolean underlayExists() {
        return layout.underlay() == null || Netns.exists(layout.underlayNamespace());
    }

    @Override
    public void run(List<String> command) {
        ProcessRunner.run(command);
    }
}
