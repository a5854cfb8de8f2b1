package xnet.cni;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import xnet.model.Ipv4;
import xnet.model.Proto;

/**
 * One CNI call as the runtime made it: the CNI_* environment and the network configuration on
 * stdin, checked against the spec (1.0.0 and 1.1.0; 0.4.0's results have the same shape).
 * Pure: parsing and validation only.
 */
public record CniRequest(String command, String containerId, String netns, String ifname, String cniVersion,
                         String network, String bridge, JsonNode ipam, List<PortMapping> portMappings,
                         List<Attachment> validAttachments, JsonNode config) {

    public static final List<String> VERSIONS = List.of("0.4.0", "1.0.0", "1.1.0");
    private static final Set<String> COMMANDS = Set.of("ADD", "DEL", "CHECK", "VERSION", "STATUS", "GC");
    private static final ObjectMapper JSON = new ObjectMapper();

    public static CniRequest parse(Map<String, String> env, byte[] stdin) {
        String command = env.get("CNI_COMMAND");
        if (command == null || !COMMANDS.contains(command)) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_COMMAND must be one of " + COMMANDS,
                    "got " + (command == null ? "nothing" : "'" + command + "'"));
        }
        JsonNode config;
        try {
            config = JSON.readTree(stdin);
        } catch (java.io.IOException bad) {
            throw new CniError(CniError.DECODE_FAILURE, "the network configuration is not JSON", bad.getMessage());
        }
        if (config == null || !config.isObject()) {
            throw new CniError(CniError.DECODE_FAILURE, "the network configuration is not a JSON object");
        }
        String version = text(config, "cniVersion");
        if (version == null) {
            throw new CniError(CniError.INVALID_CONFIG, "the network configuration has no cniVersion");
        }
        if (!VERSIONS.contains(version)) {
            throw new CniError(CniError.INCOMPATIBLE_VERSION, "xnet-cni does not speak CNI " + version,
                    "supported: " + String.join(", ", VERSIONS));
        }
        if ((command.equals("STATUS") || command.equals("GC")) && !version.equals("1.1.0")) {
            throw new CniError(CniError.INCOMPATIBLE_VERSION, command + " needs CNI 1.1.0, the configuration says " + version);
        }
        String network = text(config, "name");
        String bridge = text(config, "bridge");
        if (network == null || bridge == null) {
            throw new CniError(CniError.INVALID_CONFIG, "the network configuration needs \"name\" and \"bridge\"");
        }
        boolean perAttachment = Set.of("ADD", "DEL", "CHECK").contains(command);
        String id = env.get("CNI_CONTAINERID");
        String netns = env.get("CNI_NETNS");
        String ifname = env.get("CNI_IFNAME");
        if (perAttachment && (id == null || id.isEmpty() || ifname == null || ifname.isEmpty())) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, command + " needs CNI_CONTAINERID and CNI_IFNAME");
        }
        if (!command.equals("DEL") && perAttachment && (netns == null || netns.isEmpty())) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, command + " needs CNI_NETNS");
        }
        String ifnameProblem = ifname == null ? null : xnet.model.Names.deviceNameProblem(ifname);
        if (ifnameProblem != null) {
            throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_IFNAME: " + ifnameProblem);
        }
        return new CniRequest(command, id, netns == null || netns.isEmpty() ? null : netns, ifname, version, network,
                bridge, config.get("ipam"), portMappings(config), validAttachments(config), config);
    }

    public Attachment attachment() {
        return new Attachment(containerId, ifname);
    }

    /** The IPAM plugin to delegate addresses to, or null when xnet allocates them itself. */
    public String ipamType() {
        return ipam == null || ipam.isNull() || ipam.isEmpty() ? null : text(ipam, "type");
    }

    private static List<PortMapping> portMappings(JsonNode config) {
        JsonNode mappings = config.path("runtimeConfig").path("portMappings");
        List<PortMapping> out = new ArrayList<>();
        if (mappings.isMissingNode() || mappings.isNull()) {
            return out;
        }
        if (!mappings.isArray()) {
            throw new CniError(CniError.INVALID_CONFIG, "runtimeConfig.portMappings must be a list");
        }
        for (JsonNode m : mappings) {
            int host = m.path("hostPort").asInt(0);
            int container = m.path("containerPort").asInt(0);
            if (host < 1 || host > 65535 || container < 1 || container > 65535) {
                throw new CniError(CniError.INVALID_CONFIG, "a port mapping needs hostPort and containerPort in 1-65535",
                        m.toString());
            }
            String protocol = m.path("protocol").asText("tcp").toLowerCase();
            if (!protocol.equals("tcp") && !protocol.equals("udp")) {
                throw new CniError(CniError.INVALID_CONFIG, "port mappings are tcp or udp, not " + protocol);
            }
            String hostIp = m.path("hostIP").asText("");
            if (hostIp.isEmpty() || hostIp.equals("0.0.0.0")) {
                out.add(new PortMapping(host, container, Proto.parse(protocol), null, xnet.model.Family.IPV4));
            } else if (hostIp.equals("::")) {
                out.add(new PortMapping(host, container, Proto.parse(protocol), null, xnet.model.Family.IPV6));
            } else {
                try {
                    out.add(new PortMapping(host, container, Proto.parse(protocol), xnet.model.IpAddress.parse(hostIp)));
                } catch (IllegalArgumentException notAnAddress) {
                    throw new CniError(CniError.INVALID_CONFIG, "hostIP " + hostIp + " is not an IPv4 or IPv6 address");
                }
            }
        }
        return out;
    }

    private static List<Attachment> validAttachments(JsonNode config) {
        List<Attachment> out = new ArrayList<>();
        for (JsonNode a : config.path("cni.dev/valid-attachments")) {
            out.add(new Attachment(a.path("containerID").asText(), a.path("ifname").asText()));
        }
        return out;
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() || value.asText().isEmpty() ? null : value.asText();
    }
}
