package xnet.bpf;

import jnr.ffi.Memory;
import jnr.ffi.Runtime;
import jnr.ffi.Struct;

/**
 * A C struct described field by field (jnr-ffi lays the fields out with C's alignment), with
 * the size libbpf or the kernel expects checked once: a field added or mistyped fails at the
 * first use, not as a corrupt call.
 */
abstract class StructLayout extends Struct {

    StructLayout(Runtime runtime) {
        super(runtime);
    }

    /** Zeroed memory of this struct's size, used from now on; checks the size first. */
    final void allocate(int expectedSize, java.lang.String cName) {
        int size = Struct.size(this);
        if (size != expectedSize) {
            throw new IllegalStateException(cName + " laid out as " + size + " bytes, expected " + expectedSize);
        }
        jnr.ffi.Pointer memory = Memory.allocateDirect(getRuntime(), size);
        memory.setMemory(0, size, (byte) 0);
        useMemory(memory);
    }

    final jnr.ffi.Pointer memory() {
        return Struct.getMemory(this);
    }
}
