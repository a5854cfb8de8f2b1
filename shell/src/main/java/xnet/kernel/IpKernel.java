package xnet.kernel;

import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import xnet.model.Config;
import xnet.plan.LinkDrift;
import xnet.plan.TargetLayout;
import xnet.session.KernelException;
import xnet.session.KernelPort;
import xnet.session.LabStatus;

/** The kernel side of a target outside BPF, driven through iproute2 commands. */
public final class IpKernel implements KernelPort {

    private static final ObjectMapper JSON = new ObjectMapper();

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

    /** One `ip -j link show` in the host namespace: a few milliseconds a commit. */
    @Override
    public Map<String, LinkDrift.Link> hostLinks() {
        String json = ProcessRunner.run(TargetLayout.ip(layout.hostNamespace(), "-j", "link", "show"));
        Map<String, LinkDrift.Link> links = new HashMap<>();
        try {
            for (JsonNode link : JSON.readTree(json.isBlank() ? "[]" : json)) {
                String name = link.path("ifname").asText();
                boolean up = false;
                for (JsonNode flag : link.path("flags")) {
                    up |= flag.asText().equals("UP");
                }
                links.put(name, new LinkDrift.Link(name, link.hasNonNull("master")
                        ? link.get("master").asText() : null, up));
            }
        } catch (IOException unreadable) {
            throw new KernelException("cannot read the links of " + layout.hostNamespace() + ": " + json,
                    unreadable);
        }
        return links;
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
    public int exec(String namespace, List<String> command, boolean terminal, java.io.InputStream input,
                    OutputStream out, OutputStream err) {
        return EndpointExec.run(namespace, command, terminal, input, out, err);
    }
}
