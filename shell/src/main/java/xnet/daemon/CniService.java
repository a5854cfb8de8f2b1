package xnet.daemon;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import xnet.cni.CniError;
import xnet.cni.CniNetwork;
import xnet.cni.CniRequest;
import xnet.cni.CniResults;
import xnet.kernel.IpamPlugin;
import xnet.model.Config;
import xnet.model.ConfigException;
import xnet.model.Container;
import xnet.model.Ipv4;
import xnet.plan.TargetLayout;
import xnet.plan.TopologyPlanner;
import xnet.service.TargetPorts;
import xnet.service.TargetService;
import xnet.session.CommitException;

/**
 * The CNI plugin's calls, served by xnetd. A call that changes the network is one commit, made
 * on a fresh session while holding the target's guard, so concurrent calls for different
 * containers queue up and never see a stale base; a shell's session is not touched.
 */
final class CniService {

    /** What the plugin prints on stdout, and its exit status. */
    record Reply(String out, int status) {
    }

    private final TargetPorts ports;
    private final CniNetwork network;

    CniService(TargetPorts ports) {
        this.ports = ports;
        this.network = new CniNetwork(ports.editors().topology(), ports.editors().rules(),
                ports.layout().uplinkAddress(), ports.layout().uplinkAddress6());
    }

    /** {@code pluginPid}: the plugin process, through whose root CNI_NETNS is opened (0: unknown). */
    Reply handle(Map<String, String> env, byte[] stdin, long pluginPid) {
        String version = null;
        try {
            if ("VERSION".equals(env.get("CNI_COMMAND"))) {
                return new Reply(CniResults.version(versionOf(stdin)), 0);
            }
            CniRequest request = CniRequest.parse(env, stdin);
            version = request.cniVersion();
            return switch (request.command()) {
                case "ADD" -> add(request, env, stdin, pluginPid);
                case "DEL" -> delete(request, env, stdin);
                case "CHECK" -> check(request);
                case "STATUS" -> status(request);
                default -> collect(request, env, stdin);
            };
        } catch (CniError error) {
            return failure(version, error);
        } catch (ConfigException | IllegalArgumentException refused) {
            return failure(version, new CniError(CniError.INVALID_CONFIG, refused.getMessage()));
        } catch (CommitException failed) {
            return failure(version, new CniError(CniError.XNET_FAILED, failed.getMessage(),
                    String.join("; ", failed.details())));
        } catch (Exception failed) {
            return failure(version, new CniError(CniError.XNET_FAILED, String.valueOf(failed.getMessage())));
        }
    }

    private Reply add(CniRequest request, Map<String, String> env, byte[] stdin, long pluginPid) throws Exception {
        String netns = reachable(request.netns(), pluginPid);
        synchronized (ports.guard()) {
            TargetService session = ports.newRuntimeSession();
            Config running = session.candidate();
            if (!running.bridges().containsKey(request.bridge())) {
                throw new CniError(CniError.INVALID_CONFIG, "bridge " + request.bridge() + " is not running on "
                        + ports.layout().name() + "; add it and commit first");
            }
            Optional<IpamPlugin.Addresses> ip = request.ipamType() == null ? Optional.empty()
                    : Optional.of(IpamPlugin.add(request.ipamType(), env, stdin));
            try {
                session.replaceCandidate(network.add(running, request, netns, ip.map(IpamPlugin.Addresses::ip),
                        ip.flatMap(IpamPlugin.Addresses::ip6)));
                session.commit("CNI ADD " + request.containerId() + " " + request.ifname());
            } catch (Exception failed) {
                if (ip.isPresent()) {
                    IpamPlugin.delete(request.ipamType(), env, stdin);
                }
                throw failed;
            }
            Config now = session.candidate();
            Container added = CniNetwork.find(now, request.attachment()).orElseThrow();
            return new Reply(CniResults.added(request.cniVersion(), added, now.bridges().get(added.bridge()),
                    request.netns(), TopologyPlanner.mtu(now, added.bridge())), 0);
        }
    }

    /** Idempotent: a container or namespace that is gone already is not an error. */
    private Reply delete(CniRequest request, Map<String, String> env, byte[] stdin) throws Exception {
        synchronized (ports.guard()) {
            TargetService session = ports.newRuntimeSession();
            commitIfChanged(session, CniNetwork.delete(session.candidate(), request.attachment()),
                    "CNI DEL " + request.containerId() + " " + request.ifname());
            if (request.ipamType() != null) {
                IpamPlugin.delete(request.ipamType(), env, stdin);
            }
        }
        return new Reply("", 0);
    }

    private Reply collect(CniRequest request, Map<String, String> env, byte[] stdin) throws Exception {
        synchronized (ports.guard()) {
            TargetService session = ports.newRuntimeSession();
            Config running = session.candidate();
            Config kept = CniNetwork.collect(running, request.bridge(), request.validAttachments());
            commitIfChanged(session, kept, "CNI GC");
            if (request.ipamType() != null) {
                for (Container gone : running.containers().values()) {
                    if (!kept.containers().containsKey(gone.name())) {
                        Map<String, String> its = new HashMap<>(env);
                        its.put("CNI_CONTAINERID", gone.foreign().cniId());
                        its.put("CNI_IFNAME", gone.foreign().ifname());
                        IpamPlugin.delete(request.ipamType(), its, stdin);
                    }
                }
            }
        }
        return new Reply("", 0);
    }

    /** Commits {@code next} on a fresh session (whose candidate is the running config) if it differs. */
    private static void commitIfChanged(TargetService session, Config next, String comment) throws Exception {
        if (!next.sameAs(session.candidate())) {
            session.replaceCandidate(next);
            session.commit(comment);
        }
    }

    private Reply check(CniRequest request) throws Exception {
        Config running = ports.store().running().config();
        Container container = CniNetwork.find(running, request.attachment()).orElseThrow(() -> new CniError(
                CniError.UNKNOWN_CONTAINER, "xnet has no " + request.ifname() + " for container " + request.containerId()));
        TargetLayout layout = ports.layout();
        String namespace = layout.containerNamespace(container.name());
        boolean present = ports.kernel().namespaceExists(namespace)
                && ports.kernel().succeeds(List.of("ip", "-n", namespace, "link", "show", "dev", container.device()))
                && ports.kernel().succeeds(List.of("ip", "-n", layout.hostNamespace(), "link", "show", "dev",
                        TargetLayout.hostVeth(container.name())));
        if (!present) {
            throw new CniError(CniError.XNET_FAILED, "the link of container " + request.containerId()
                    + " is gone (xnet container " + container.name() + ")");
        }
        return new Reply("", 0);
    }

    private Reply status(CniRequest request) throws Exception {
        if (!ports.store().running().config().bridges().containsKey(request.bridge())) {
            throw new CniError(CniError.NOT_AVAILABLE, "bridge " + request.bridge() + " is not running on "
                    + ports.layout().name());
        }
        return new Reply("", 0);
    }

    /**
     * CNI_NETNS as this process can open it. The runtime may live in a mount namespace of its own
     * (`ip netns exec` makes one) where its namespace files are invisible here; the plugin runs in
     * that mount namespace, so the path is opened through the plugin's root while it waits.
     */
    private static String reachable(String netns, long pluginPid) {
        if (!netns.startsWith("/")) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_NETNS must be an absolute path, not " + netns);
        }
        if (pluginPid > 0) {
            Path viaPlugin = Path.of("/proc/" + pluginPid + "/root" + netns);
            if (Files.exists(viaPlugin)) {
                return viaPlugin.toString();
            }
        }
        if (Files.exists(Path.of(netns))) {
            return netns;
        }
        throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_NETNS " + netns + " does not exist");
    }

    private static Reply failure(String version, CniError error) {
        return new Reply(CniResults.error(version, error), 1);
    }

    private static String versionOf(byte[] stdin) {
        try {
            var config = new ObjectMapper().readTree(stdin);
            return config == null ? null : config.path("cniVersion").asText(null);
        } catch (java.io.IOException notJson) {
            return null;
        }
    }

}
