package xnet.bpf;

/** XDP attach flags (include/uapi/linux/if_link.h). */
final class XdpFlags {

    /** Generic XDP: runs on the sk_buff, after the driver. */
    static final int SKB_MODE = 1 << 1;
    /** Native XDP: runs in the driver (veth has it since 4.19). */
    static final int DRV_MODE = 1 << 2;

    private XdpFlags() {
    }
}
