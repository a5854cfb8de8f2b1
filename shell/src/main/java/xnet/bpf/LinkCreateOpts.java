package xnet.bpf;

import jnr.ffi.NativeType;
import jnr.ffi.Runtime;

/** struct bpf_link_create_opts (libbpf 1.1): 64 bytes on x86_64. */
final class LinkCreateOpts extends StructLayout {

    static final int SIZE = 64;

    final size_t sz = new size_t();
    /** XDP_FLAGS_* for an XDP link; 0 for tcx. */
    final Unsigned32 flags = new Unsigned32();
    final Pointer iterInfo = new Pointer();
    final Unsigned32 iterInfoLen = new Unsigned32();
    final Unsigned32 targetBtfId = new Unsigned32();
    /** The union of perf_event, kprobe_multi and tracing options; xnet sets none of them. */
    final Padding perTypeOptions = new Padding(NativeType.UCHAR, 32);

    LinkCreateOpts(Runtime runtime) {
        super(runtime);
        allocate(SIZE, "struct bpf_link_create_opts");
        sz.set(SIZE);
    }
}
