package xnet.cni;

/** What CNI calls an attachment: a container id and the interface name in it. */
public record Attachment(String containerId, String ifname) {
}
