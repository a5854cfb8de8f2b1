package xnet.bpf;

import jnr.ffi.Runtime;

/** struct bpf_map_batch_opts (libbpf 1.1): 24 bytes. */
final class MapBatchOpts extends StructLayout {

    static final int SIZE = 24;

    final size_t sz = new size_t();
    final Unsigned64 elemFlags = new Unsigned64();
    final Unsigned64 flags = new Unsigned64();

    MapBatchOpts(Runtime runtime) {
        super(runtime);
        allocate(SIZE, "struct bpf_map_batch_opts");
        sz.set(SIZE);
    }
}
