package xnet.bpf;

/**
 * enum bpf_attach_type values xnet attaches with (include/uapi/linux/bpf.h), passed as numbers:
 * libbpf 1.1 has no names for the tcx ones (kernel 6.6+).
 */
enum AttachType {
    XDP(37),
    TCX_INGRESS(46);

    final int value;

    AttachType(int value) {
        this.value = value;
    }
}
