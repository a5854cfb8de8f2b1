package xnet.kernel;

import java.io.OutputStream;
import java.util.List;

import xnet.model.Config;
import xnet.plan.TargetLayout;
import xnet.session.KernelException;
import xnet.session.KernelPort;
import xnet.session.LabStatus;

/** The kernel side of a target outside BPF, driven through iproute2 commands. */
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

    @Override
    public boolean succeeds(List<String> command) {
        try {
            ProcessRunner.run(command);
            return true;
        } catch (KernelException no) {
            return false;
        }
    }

    @Override
    public LabStatus status(Config running, boolean committed) {
        return new LabInspector(layout).status(running, committed);
    }

    @Override
    public List<String> destroy(Config running) {
        java.util.Set<String> foreign = new java.util.HashSet<>();
        running.containers().values().stream().filter(xnet.model.Container::attached)
                .forEach(c -> foreign.add(layout.containerNamespace(c.name())));
        return LabDestroyer.destroy(layout, foreign);
    }

    @Override
    public boolean namespaceExists(String namespace) {
        return Netns.exists(namespace);
    }

    @Override
    public int exec(String namespace, List<String> command, boolean terminal, OutputStream out, OutputStream err) {
        return EndpointExec.run(namespace, command, terminal, out, err);
    }
}
