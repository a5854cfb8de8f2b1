package xnet.cni;

import xnet.model.Ipv4;
import xnet.model.Proto;

/** One entry of runtimeConfig.portMappings: the host's port (on hostIP, or the target's uplink) to the container's. */
public record PortMapping(int hostPort, int containerPort, Proto proto, Ipv4 hostIp) {
}
