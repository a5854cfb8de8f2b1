package xnet.bpf;

import jnr.ffi.NativeType;
import jnr.ffi.Runtime;

/**
 * The head of struct bpf_map_info (include/uapi/linux/bpf.h, up to its name): 40 bytes. The
 * kernel fills as much as the caller asks for, so the fields after the name are left out.
 */
final class MapInfo extends StructLayout {

    static final int SIZE = 40;

    final Unsigned32 type = new Unsigned32();
    final Unsigned32 id = new Unsigned32();
    final Unsigned32 keySize = new Unsigned32();
    final Unsigned32 valueSize = new Unsigned32();
    final Unsigned32 maxEntries = new Unsigned32();
    final Unsigned32 mapFlags = new Unsigned32();
    final Padding name = new Padding(NativeType.UCHAR, 16);

    MapInfo(Runtime runtime) {
        super(runtime);
        allocate(SIZE, "struct bpf_map_info");
    }
}
