package xnet.bpf;

import java.util.ArrayList;
import java.util.List;

import jnr.constants.platform.Errno;
import jnr.ffi.Pointer;

/**
 * Reads a BPF ring buffer map through libbpf's ring_buffer (epoll on the map, records read from
 * its memory mapping): each record is copied out as bytes. One thread polls it; the kernel keeps
 * one consumer position per map, so a map has one reader at a time (see {@link EventHub}).
 */
final class RingReader implements AutoCloseable {

    private static final int EINTR = Errno.EINTR.intValue();

    private final Bpf bpf;
    private final int mapFd;
    private final Pointer ring;
    private final List<byte[]> arrived = new ArrayList<>();
    /** Strong reference: libbpf keeps only the function pointer. */
    private final LibBpf.RingSample sample = this::copy;

    /** {@code mapFd} becomes this reader's: it is closed with it. */
    RingReader(Bpf bpf, int mapFd) {
        this.bpf = bpf;
        this.mapFd = mapFd;
        this.ring = bpf.lib.ring_buffer__new(mapFd, sample, null, null);
        if (ring == null) {
            int errno = bpf.runtime.getLastError();
            bpf.close(mapFd);
            throw new BpfException("read the event ring buffer", errno, null);
        }
    }

    private int copy(Pointer context, Pointer data, long size) {
        byte[] record = new byte[(int) size];
        data.get(0, record, 0, record.length);
        arrived.add(record);
        return 0;
    }

    /** The records that arrive within {@code timeoutMs} (all that are there, once one is). */
    List<byte[]> poll(int timeoutMs) {
        arrived.clear();
        int result = bpf.lib.ring_buffer__poll(ring, timeoutMs);
        if (result < 0 && -result != EINTR) {
            throw new BpfException("poll the event ring buffer", -result, null);
        }
        return List.copyOf(arrived);
    }

    @Override
    public void close() {
        bpf.lib.ring_buffer__free(ring);
        bpf.close(mapFd);
    }
}
