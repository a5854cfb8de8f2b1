package xnet.bpf;

import jnr.ffi.NativeType;
import jnr.ffi.Runtime;

/**
 * The head of struct bpf_link_info (include/uapi/linux/bpf.h) and the tcx/xdp member of its
 * union, whose first field is the ifindex. The kernel fills as much as the length passed says.
 */
final class LinkInfo extends StructLayout {

    static final int SIZE = 64;

    final Unsigned32 type = new Unsigned32();
    final Unsigned32 id = new Unsigned32();
    final Unsigned32 progId = new Unsigned32();
    /** The union is 8-aligned. */
    final Padding unionAlignment = new Padding(NativeType.UCHAR, 4);
    /** tcx.ifindex and xdp.ifindex: 0 once the device is gone. */
    final Unsigned32 ifindex = new Unsigned32();
    final Padding restOfUnion = new Padding(NativeType.UCHAR, 44);

    LinkInfo(Runtime runtime) {
        super(runtime);
        allocate(SIZE, "struct bpf_link_info");
    }
}
