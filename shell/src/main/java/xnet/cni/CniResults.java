package xnet.cni;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import xnet.model.Bridge;
import xnet.model.Container;
import xnet.plan.TargetLayout;

/** The JSON a CNI call prints (pure): ADD's result, the error result, VERSION's answer. */
public final class CniResults {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CniResults() {
    }

    /** ADD's result: the bridge, the host end and the container end, the address, the default route. */
    public static String added(String version, Container container, Bridge bridge, String sandbox, int mtu) {
        ObjectNode result = JSON.createObjectNode().put("cniVersion", version);
        ArrayNode interfaces = result.putArray("interfaces");
        interfaces.addObject().put("name", bridge.name());
        interfaces.addObject().put("name", TargetLayout.hostVeth(container.name()));
        ObjectNode inside = interfaces.addObject().put("name", container.device()).put("sandbox", sandbox);
        if (mtu > 0 && version.equals("1.1.0")) {
            inside.put("mtu", mtu);
        }
        ArrayNode ips = result.putArray("ips");
        ArrayNode routes = result.putArray("routes");
        address(ips, routes, version, "4", container.ip() + "/" + bridge.subnet().prefix(), bridge.gateway().toString(),
                "0.0.0.0/0");
        if (container.ip6() != null && bridge.subnet6() != null) {
            address(ips, routes, version, "6", container.ip6() + "/" + bridge.subnet6().prefix(),
                    bridge.gateway6().toString(), "::/0");
        }
        result.putObject("dns");
        return result.toString();
    }

    /** One address of the container end (interface 2), with its gateway and the default route through it. */
    private static void address(ArrayNode ips, ArrayNode routes, String version, String family, String cidr,
                                String gateway, String anywhere) {
        ObjectNode ip = ips.addObject();
        if (version.equals("0.4.0")) {
            ip.put("version", family);
        }
        ip.put("interface", 2).put("address", cidr).put("gateway", gateway);
        routes.addObject().put("dst", anywhere).put("gw", gateway);
    }

    public static String error(String version, CniError error) {
        return JSON.createObjectNode().put("cniVersion", version == null ? "1.1.0" : version)
                .put("code", error.code()).put("msg", error.getMessage()).put("details", error.details()).toString();
    }

    public static String version(String version) {
        ObjectNode answer = JSON.createObjectNode().put("cniVersion", version == null ? "1.1.0" : version);
        ArrayNode supported = answer.putArray("supportedVersions");
        List.copyOf(CniRequest.VERSIONS).forEach(supported::add);
        return answer.toString();
    }
}
