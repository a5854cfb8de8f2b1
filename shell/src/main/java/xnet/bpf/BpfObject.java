package xnet.bpf;

import jnr.constants.platform.Errno;
import jnr.ffi.Pointer;

/** An opened (then loaded) BPF object: its programs and maps by name. Closing frees what is not pinned or linked. */
public final class BpfObject implements AutoCloseable {

    private final Bpf bpf;
    private final Pointer object;
    private final String name;
    @SuppressWarnings("unused")
    private final Pointer elf; // libbpf reads from it until load
    private boolean closed;

    BpfObject(Bpf bpf, Pointer object, String name, Pointer elf) {
        this.bpf = bpf;
        this.object = object;
        this.name = name;
        this.elf = elf;
    }

    private Pointer map(String map) {
        Pointer m = bpf.lib.bpf_object__find_map_by_name(object, map);
        if (m == null) {
            throw new BpfException("find map " + map + " in " + name, Errno.ENOENT.intValue(), null);
        }
        return m;
    }

    public void setMaxEntries(String map, int entries) {
        Bpf.check("size map " + map, bpf.lib.bpf_map__set_max_entries(map(map), entries));
    }

    /** Makes the object use an existing map (counters, connections) instead of creating one. */
    public void reuseMap(String map, int fd) {
        Bpf.check("reuse map " + map, bpf.lib.bpf_map__reuse_fd(map(map), fd));
    }

    /** Loads every program into the kernel; a rejection carries the verifier's log. */
    public void load() {
        StringBuilder printed = new StringBuilder();
        int result = bpf.capturing(() -> bpf.lib.bpf_object__load(object), printed);
        if (result < 0) {
            throw new BpfException("load " + name, -result, printed.toString());
        }
    }

    public int programFd(String program) {
        Pointer p = bpf.lib.bpf_object__find_program_by_name(object, program);
        if (p == null) {
            throw new BpfException("find program " + program + " in " + name, Errno.ENOENT.intValue(), null);
        }
        return Bpf.check("program fd " + program, bpf.lib.bpf_program__fd(p));
    }

    public int mapFd(String map) {
        return Bpf.check("map fd " + map, bpf.lib.bpf_map__fd(map(map)));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            bpf.lib.bpf_object__close(object);
        }
    }
}
