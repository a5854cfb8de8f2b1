package xnet.bpf;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import jnr.constants.platform.Errno;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The one door to libbpf and the kernel's BPF syscalls: every call is checked and a failure
 * becomes a {@link BpfException} naming the call. FFI types do not leave this package. Structs
 * are described once each ({@link TestRunOpts}, {@link LinkInfo}, ...); architecture-specific
 * numbers live in {@link Abi}.
 *
 * <p>One binding per process ({@link #load}): libbpf's print callback is process-wide. It is
 * passed to whatever needs it, never looked up.
 */
public final class Bpf {

    private static Bpf loaded;

    final LibBpf lib;
    final LibC libc;
    final Runtime runtime;
    private final int cpus;
    /** Strong reference: libbpf keeps only the function pointer. */
    private final LibBpf.PrintCallback printer;
    private final ThreadLocal<StringBuilder> log = ThreadLocal.withInitial(StringBuilder::new);

    private Bpf() {
        Abi.requireSupported();
        lib = LibraryLoader.create(LibBpf.class).load("libbpf.so.1");
        libc = LibraryLoader.create(LibC.class).load("c");
        runtime = Runtime.getRuntime(lib);
        printer = this::print;
        lib.libbpf_set_print(printer);
        cpus = lib.libbpf_num_possible_cpus();
    }

    /** The process's binding to libbpf.so.1, loaded on first use (about 0.5 s of jnr-ffi set-up). */
    public static synchronized Bpf load() {
        if (loaded == null) {
            loaded = new Bpf();
        }
        return loaded;
    }

    /** libbpf's messages: the va_list is copied before the sizing pass, which consumes it. */
    private int print(int level, Pointer format, Pointer args) {
        Pointer copy = Memory.allocateDirect(runtime, 32);
        copy.transferFrom(0, args, 0, 24);
        int length = libc.vsnprintf(null, 0, format, copy);
        if (length <= 0) {
            return 0;
        }
        Pointer buffer = Memory.allocateDirect(runtime, length + 1);
        libc.vsnprintf(buffer, length + 1, format, args);
        log.get().append(buffer.getString(0, length, java.nio.charset.StandardCharsets.UTF_8));
        return 0;
    }

    /** Runs a call and returns what libbpf printed meanwhile on this thread. */
    <T> T capturing(Supplier<T> call, StringBuilder printed) {
        StringBuilder mine = log.get();
        int start = mine.length();
        try {
            return call.get();
        } finally {
            printed.append(mine, start, mine.length());
            mine.setLength(start);
        }
    }

    public int possibleCpus() {
        return cpus;
    }

    Pointer memory(byte[] bytes) {
        Pointer p = Memory.allocateDirect(runtime, Math.max(bytes.length, 1));
        p.put(0, bytes, 0, bytes.length);
        return p;
    }

    Pointer memory(int size) {
        Pointer p = Memory.allocateDirect(runtime, Math.max(size, 1));
        p.setMemory(0, Math.max(size, 1), (byte) 0);
        return p;
    }

    /** Map update flag (include/uapi/linux/bpf.h): only add, fail with EEXIST if present. */
    public static final long BPF_ANY = 0;
    /** offsetof(struct __sk_buff, ingress_ifindex) (include/uapi/linux/bpf.h). */
    private static final int SK_BUFF_INGRESS_IFINDEX = 36;
    /** struct __sk_buff: cb[5] at 48, which a test run copies in and out. */
    private static final int SK_BUFF_CB = 48;
    /** struct xdp_md: data_meta, data, data_end, ingress_ifindex, rx_queue_index, egress_ifindex. */
    private static final int XDP_MD_SIZE = 24;
    /** More than any struct __sk_buff a kernel of this platform copies out of a test run. */
    private static final int CONTEXT_OUT_ROOM = 256;
    public static final long BPF_NOEXIST = 1;

    private static final int ENOENT = Errno.ENOENT.intValue();

    static int check(String operation, int result) {
        if (result < 0) {
            throw new BpfException(operation, -result, null);
        }
        return result;
    }

    public BpfObject open(byte[] elf, String name) {
        Pointer buffer = memory(elf);
        Pointer object = lib.bpf_object__open_mem(buffer, elf.length, null);
        if (object == null) {
            throw new BpfException("open BPF object " + name, runtime.getLastError(), null);
        }
        return new BpfObject(this, object, name, buffer);
    }

    public void update(int fd, byte[] key, byte[] value, long flags) {
        check("update map element", lib.bpf_map_update_elem(fd, memory(key), memory(value), flags));
    }

    /** Returns false when the key is absent. */
    public boolean lookup(int fd, byte[] key, byte[] value) {
        Pointer out = memory(value.length);
        int result = lib.bpf_map_lookup_elem(fd, memory(key), out);
        if (result == -ENOENT) {
            return false;
        }
        check("look up map element", result);
        out.get(0, value, 0, value.length);
        return true;
    }

    public void delete(int fd, byte[] key) {
        int result = lib.bpf_map_delete_elem(fd, memory(key));
        if (result != -ENOENT) {
            check("delete map element", result);
        }
    }

    /** All keys of a map, in the kernel's order. */
    public List<byte[]> keys(int fd, int keySize) {
        List<byte[]> keys = new ArrayList<>();
        Pointer current = null;
        Pointer next = memory(keySize);
        while (lib.bpf_map_get_next_key(fd, current, next) == 0) {
            byte[] key = new byte[keySize];
            next.get(0, key, 0, keySize);
            keys.add(key);
            current = memory(key);
        }
        return keys;
    }

    /** Writes many elements with one syscall per batch (BPF_MAP_UPDATE_BATCH, kernel 5.6+). */
    public void updateBatch(int fd, byte[] keys, byte[] values, int count) {
        if (count == 0) {
            return;
        }
        Pointer keyMemory = memory(keys);
        Pointer valueMemory = memory(values);
        Pointer n = memory(4);
        n.putInt(0, count);
        MapBatchOpts opts = new MapBatchOpts(runtime);
        check("update map in batch (" + count + " elements)",
                lib.bpf_map_update_batch(fd, keyMemory, valueMemory, n, opts.memory()));
    }

    /**
     * Deletes many elements with one syscall per run of present keys (BPF_MAP_DELETE_BATCH); keys
     * that are absent are skipped. {@code keySize} bytes per key.
     */
    public void deleteBatch(int fd, byte[] keys, int keySize, int count) {
        int done = 0;
        Pointer all = memory(keys);
        Pointer n = memory(4);
        MapBatchOpts opts = new MapBatchOpts(runtime);
        while (done < count) {
            n.putInt(0, count - done);
            int result = lib.bpf_map_delete_batch(fd, all.slice((long) done * keySize), n, opts.memory());
            if (result == 0) {
                return;
            }
            if (result != -ENOENT) {
                check("delete from map in batch (" + (count - done) + " elements)", result);
            }
            done += n.getInt(0) + 1; // the absent key stopped the batch: skip it
        }
    }

    /**
     * Waits until every BPF program that was running when it was called has finished (an RCU
     * grace period, via membarrier(MEMBARRIER_CMD_GLOBAL)); what they read before is then no
     * longer in use. Costs a few milliseconds.
     */
    public void waitForRunningPrograms() {
        long result = libc.syscall(Abi.NR_MEMBARRIER, Abi.MEMBARRIER_CMD_GLOBAL, 0, 0);
        if (result != 0) {
            try {
                Thread.sleep(50); // nohz_full kernels refuse the command; 50 ms outlasts any program run
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public void pin(int fd, String path) {
        check("pin " + path, lib.bpf_obj_pin(fd, path));
    }

    /** The fd of a pinned object, or -1 when nothing is pinned there. */
    public int pinned(String path) {
        int fd = lib.bpf_obj_get(path);
        if (fd == -ENOENT) {
            return -1;
        }
        return check("open pinned " + path, fd);
    }

    /** A second fd for the same object, so that it outlives the first one's owner. */
    public int dup(int fd) {
        return check("dup fd", libc.dup(fd));
    }

    public void close(int fd) {
        if (fd >= 0) {
            libc.close(fd);
        }
    }

    public record TestRun(int retval, byte[] out, int durationNs) {
    }

    /** BPF_PROG_TEST_RUN: runs the program on one packet, {@code repeat} times. */
    public TestRun testRun(int progFd, byte[] packet, int repeat) {
        return testRun(progFd, packet, repeat, 0);
    }

    /**
     * A tc program's test run with the packet entering by {@code ingressIfindex} (0: none): the
     * context is a struct __sk_buff whose only field set is ingress_ifindex (offset 36).
     */
    public TestRun testRun(int progFd, byte[] packet, int repeat, int ingressIfindex) {
        byte[] context = ingressIfindex == 0 ? null : java.nio.ByteBuffer.allocate(SK_BUFF_INGRESS_IFINDEX + 4)
                .order(java.nio.ByteOrder.nativeOrder()).putInt(SK_BUFF_INGRESS_IFINDEX, ingressIfindex).array();
        return testRun(progFd, packet, repeat, context, null, 0);
    }

    /**
     * A what-if packet's run (see XNET_PROBE_* in bpf/include/xnet_shared.h): the verdict, the
     * packet as the program left it, and the program's two result words (slot, info); the
     * words are 0 when the program did not see the probe (one built before what-if packets).
     */
    public record Probe(int retval, byte[] out, int slot, int info) {
    }

    /** A tc program's probe run, the packet entering by {@code ingressIfindex}: the magic words in cb[0..1]. */
    public Probe probeTc(int progFd, byte[] packet, int ingressIfindex) {
        java.nio.ByteBuffer context = java.nio.ByteBuffer.allocate(SK_BUFF_CB + 5 * 4).order(java.nio.ByteOrder.nativeOrder())
                .putInt(SK_BUFF_INGRESS_IFINDEX, ingressIfindex)
                .putInt(SK_BUFF_CB, xnet.datapath.Shared.XNET_PROBE_MAGIC0).putInt(SK_BUFF_CB + 4, xnet.datapath.Shared.XNET_PROBE_MAGIC1);
        // room for the whole struct __sk_buff out (192 bytes on 6.x): less makes the run fail with ENOSPC
        Pointer contextOut = memory(CONTEXT_OUT_ROOM);
        TestRun run = testRun(progFd, packet, 1, context.array(), contextOut, CONTEXT_OUT_ROOM);
        byte[] cb = new byte[context.capacity()];
        contextOut.get(0, cb, 0, cb.length);
        java.nio.ByteBuffer out = java.nio.ByteBuffer.wrap(cb).order(java.nio.ByteOrder.nativeOrder());
        return new Probe(run.retval(), run.out(), out.getInt(SK_BUFF_CB + 8), out.getInt(SK_BUFF_CB + 12));
    }

    /** An XDP program's probe run: the magic words in the metadata in front of the frame. */
    public Probe probeXdp(int progFd, byte[] packet) {
        int meta = xnet.datapath.Shared.XNET_PROBE_META_LEN;
        byte[] data = java.nio.ByteBuffer.allocate(meta + packet.length).order(java.nio.ByteOrder.nativeOrder())
                .putInt(0, xnet.datapath.Shared.XNET_PROBE_MAGIC0).putInt(4, xnet.datapath.Shared.XNET_PROBE_MAGIC1).put(meta, packet).array();
        // struct xdp_md: data (where the frame starts: after the metadata), data_end, data_meta (0)
        byte[] context = java.nio.ByteBuffer.allocate(XDP_MD_SIZE).order(java.nio.ByteOrder.nativeOrder())
                .putInt(0, meta).putInt(4, data.length).array();
        Pointer contextOut = memory(XDP_MD_SIZE);
        TestRun run = testRun(progFd, data, 1, context, contextOut, XDP_MD_SIZE);
        byte[] md = new byte[XDP_MD_SIZE];
        contextOut.get(0, md, 0, md.length);
        int metaOut = java.nio.ByteBuffer.wrap(md).order(java.nio.ByteOrder.nativeOrder()).getInt(0);
        byte[] all = run.out();
        if (metaOut != meta || all.length < meta) {
            throw new IllegalStateException("the XDP test run gave back " + metaOut + " bytes of metadata, not " + meta);
        }
        java.nio.ByteBuffer words = java.nio.ByteBuffer.wrap(all).order(java.nio.ByteOrder.nativeOrder());
        return new Probe(run.retval(), java.util.Arrays.copyOfRange(all, meta, all.length), words.getInt(8),
                words.getInt(12));
    }

    /** BPF_PROG_TEST_RUN with a context in (null: none) and {@code outRoom} bytes for the context out (null: not wanted). */
    private TestRun testRun(int progFd, byte[] packet, int repeat, byte[] contextIn, Pointer contextOut, int outRoom) {
        Pointer in = memory(packet);
        int outSize = packet.length + 256;
        Pointer out = memory(outSize);
        TestRunOpts opts = new TestRunOpts(runtime);
        opts.dataIn.set(in);
        opts.dataOut.set(out);
        opts.dataSizeIn.set(packet.length);
        opts.dataSizeOut.set(outSize);
        opts.repeat.set(repeat);
        if (contextIn != null) {
            opts.ctxIn.set(memory(contextIn));
            opts.ctxSizeIn.set(contextIn.length);
        }
        if (contextOut != null) {
            opts.ctxOut.set(contextOut);
            opts.ctxSizeOut.set(outRoom);
        }
        check("test run", lib.bpf_prog_test_run_opts(progFd, opts.memory()));
        byte[] data = new byte[Math.min(opts.dataSizeOut.intValue(), outSize)];
        out.get(0, data, 0, data.length);
        return new TestRun(opts.retval.intValue(), data, opts.duration.intValue());
    }

    /** bpf_link_create on an interface; the ifindex is resolved in the calling thread's namespace. */
    int linkCreate(int progFd, int ifindex, AttachType attachType, int flags, String what) {
        LinkCreateOpts opts = new LinkCreateOpts(runtime);
        opts.flags.set(flags);
        return check("attach " + what, lib.bpf_link_create(progFd, ifindex, attachType.value, opts.memory()));
    }

    /** Swaps the program of a link in one step: no packet ever sees no program. */
    public void linkUpdate(int linkFd, int progFd, String what) {
        check("swap program of " + what, lib.bpf_link_update(linkFd, progFd, null));
    }

    /** The id of the program a link runs (bpf_link_info.prog_id). */
    public int linkProgramId(int linkFd) {
        return linkInfo(linkFd).progId.intValue();
    }

    /** The interface a tcx or XDP link is attached to (bpf_link_info.tcx/xdp.ifindex); 0 once its device is gone. */
    public int linkIfindex(int linkFd) {
        return linkInfo(linkFd).ifindex.intValue();
    }

    private LinkInfo linkInfo(int linkFd) {
        LinkInfo info = new LinkInfo(runtime);
        Pointer length = memory(4);
        length.putInt(0, LinkInfo.SIZE);
        check("read link info", lib.bpf_obj_get_info_by_fd(linkFd, info.memory(), length));
        return info;
    }

    public int programById(int id) {
        return check("open program " + id, lib.bpf_prog_get_fd_by_id(id));
    }

    /**
     * Runs the task on a new thread that has entered the named network namespace: setns moves
     * only the calling thread, and ifindexes and link creation are resolved in the caller's
     * namespace. The thread ends with the task, so no other work ever runs in that namespace.
     */
    public <T> T inNamespace(String namespace, java.util.concurrent.Callable<T> task) {
        java.util.concurrent.atomic.AtomicReference<Object> result = new java.util.concurrent.atomic.AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                if (namespace != null) {
                    int fd = libc.open("/run/netns/" + namespace, Abi.O_RDONLY | Abi.O_CLOEXEC);
                    if (fd < 0) {
                        throw new BpfException("open namespace " + namespace, runtime.getLastError(), null);
                    }
                    try {
                        if (libc.setns(fd, Abi.CLONE_NEWNET) != 0) {
                            throw new BpfException("enter namespace " + namespace, runtime.getLastError(), null);
                        }
                    } finally {
                        libc.close(fd);
                    }
                }
                result.set(task.call());
            } catch (Exception | Error failure) {
                result.set(failure);
            }
        }, "netns-" + namespace);
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted in namespace " + namespace, e);
        }
        Object value = result.get();
        if (value instanceof RuntimeException e) {
            throw e;
        }
        if (value instanceof Error e) {
            throw e;
        }
        if (value instanceof Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        @SuppressWarnings("unchecked")
        T typed = (T) value;
        return typed;
    }

    /** The interface index of a device in the calling thread's namespace, or 0. */
    public int ifindex(String device) {
        return libc.if_nametoindex(device);
    }

    public record ProgramInfo(int id, int verifiedInstructions, int translatedBytes, int jitedBytes) {
    }

    /** A map of a program the kernel runs, as its info says. */
    public record MapDescription(int id, String name, int maxEntries) {
    }

    /** The maps a program uses (bpf_prog_info.map_ids); their fds are opened, to be closed by the caller. */
    public java.util.Map<String, Integer> programMaps(int progFd) {
        int room = 64;
        Pointer ids = memory(4 * room);
        ProgInfo info = new ProgInfo(runtime);
        info.nrMapIds.set(room);
        info.mapIds.set(ids.address());
        Pointer length = memory(4);
        length.putInt(0, ProgInfo.SIZE);
        check("read program info", lib.bpf_obj_get_info_by_fd(progFd, info.memory(), length));
        java.util.Map<String, Integer> maps = new java.util.HashMap<>();
        for (int i = 0; i < Math.min(room, info.nrMapIds.intValue()); i++) {
            int id = ids.getInt(4L * i);
            int fd = check("open map " + id, lib.bpf_map_get_fd_by_id(id));
            maps.put(mapDescription(fd).name(), fd);
        }
        return maps;
    }

    public MapDescription mapDescription(int mapFd) {
        MapInfo info = new MapInfo(runtime);
        Pointer length = memory(4);
        length.putInt(0, MapInfo.SIZE);
        check("read map info", lib.bpf_obj_get_info_by_fd(mapFd, info.memory(), length));
        byte[] name = new byte[16];
        info.memory().get(24, name, 0, 16);
        int end = 0;
        while (end < name.length && name[end] != 0) {
            end++;
        }
        return new MapDescription(info.id.intValue(), new String(name, 0, end, java.nio.charset.StandardCharsets.US_ASCII),
                info.maxEntries.intValue());
    }

    public ProgramInfo programInfo(int progFd) {
        ProgInfo info = new ProgInfo(runtime);
        Pointer length = memory(4);
        length.putInt(0, ProgInfo.SIZE);
        check("read program info", lib.bpf_obj_get_info_by_fd(progFd, info.memory(), length));
        return new ProgramInfo(info.id.intValue(), info.verifiedInsns.intValue(), info.xlatedProgLen.intValue(),
                info.jitedProgLen.intValue());
    }
}
