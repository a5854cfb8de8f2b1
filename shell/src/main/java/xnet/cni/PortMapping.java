package xnet.cni;

import xnet.model.Family;
import xnet.model.IpAddress;
import xnet.model.Proto;

/**
 * One entry of runtimeConfig.portMappings: the host's port (on hostIP, or the target's uplink) to
 * the container's. {@code hostIp} null: the uplink's address of {@code family} (no hostIP, or
 * 0.0.0.0 or :: for "any" of that family).
 */
public record PortMapping(int hostPort, int containerPort, Proto proto, IpAddress hostIp, Family family) {

    public PortMapping(int hostPort, int containerPort, Proto proto, IpAddress hostIp) {
        this(hostPort, containerPort, proto, hostIp, hostIp == null ? Family.IPV4 : hostIp.family());
    }
}
