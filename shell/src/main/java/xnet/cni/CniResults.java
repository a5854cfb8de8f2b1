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
        ObjectNode ip = result.putArray("ips").addObject();
        if (version.equals("0.4.0")) {
            ip.put("version", "4");
        }
        ip.put("interface", 2).put("address", container.ip() + "/" + bridge.subnet().prefix())
                .put("gateway", bridge.gateway().toString());
        result.putArray("routes").addObject().put("dst", "0.0.0.0/0").put("gw", bridge.gateway().toString());
        result.putObject("dns");
        return result.toString();
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
