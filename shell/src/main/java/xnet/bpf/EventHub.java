package xnet.bpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import xnet.compile.MapEncoding;
import xnet.datapath.Shared;
import xnet.session.DatapathEvent;
import xnet.session.EventFeed;
import xnet.session.RunningState;

/**
 * The one reader of a target's event ring buffer, shared by every monitor of the target (two
 * readers of one ring would take each other's records). It runs while a monitor is open, tells
 * the programs which kinds someone listens for (xnet_monitor, so that nothing is written for a
 * kind nobody reads), and hands each record to the monitors of its kind.
 */
final class EventHub {

    /** How long a poll waits before the reader looks whether it should stop. */
    private static final int POLL_MS = 100;
    /** Events a monitor may have waiting before the reader drops them for it (a stalled client). */
    private static final int BACKLOG = 16384;

    private final Supplier<Bpf> binding;
    private final PinnedObjects pins;
    private final String target;
    private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();
    /** Set to stop the reader thread that runs now; null when none runs. */
    private AtomicBoolean stopReader;

    EventHub(Supplier<Bpf> binding, PinnedObjects pins, String target) {
        this.binding = binding;
        this.pins = pins;
        this.target = target;
    }

    synchronized EventFeed subscribe(java.util.Set<DatapathEvent.Kind> kinds, Supplier<RunningState> running) {
        Bpf bpf = binding.get();
        String ring = pins.map(Shared.XNET_MAP_EVENTS);
        if (!Files.exists(Path.of(ring))) {
            throw new IllegalStateException("no events: the running programs were loaded by an xnet without "
                    + "monitoring, or none run yet (the first commit with filter or NAT rules loads them)");
        }
        int mask = 0;
        for (DatapathEvent.Kind kind : kinds) {
            mask |= 1 << (kind == DatapathEvent.Kind.NAT ? Shared.XNET_EVENT_NAT : Shared.XNET_EVENT_DROP);
        }
        Subscription subscription = new Subscription(mask, running, suppressedNow(bpf, mask));
        if (stopReader == null) {
            startReader(new RingReader(bpf, bpf.pinned(ring)));
        }
        subscribers.add(subscription);
        writeListening(bpf);
        return subscription;
    }

    private void startReader(RingReader ring) {
        AtomicBoolean stop = new AtomicBoolean();
        stopReader = stop;
        Thread reader = new Thread(() -> {
            try (ring) {
                while (!stop.get()) {
                    for (byte[] record : ring.poll(POLL_MS)) {
                        int kind = EventDecoder.kindOf(record);
                        subscribers.forEach(s -> s.offer(kind, record));
                    }
                }
            } catch (RuntimeException failure) {
                System.err.println("xnet: event reader of " + target + " stopped: " + failure.getMessage());
                subscribers.forEach(s -> s.fail(failure));
            }
        }, "xnet-events-" + target);
        reader.setDaemon(true);
        reader.start();
    }

    private synchronized void unsubscribe(Subscription subscription) {
        subscribers.remove(subscription);
        writeListening(binding.get());
        if (subscribers.isEmpty() && stopReader != null) {
            stopReader.set(true); // the reader ends within one poll and frees the ring
            stopReader = null;
        }
    }

    /** xnet_monitor: the kinds the open monitors listen for, and the rate per CPU. */
    private void writeListening(Bpf bpf) {
        int mask = 0;
        for (Subscription s : subscribers) {
            mask |= s.mask;
        }
        int fd = bpf.pinned(pins.map(Shared.XNET_MAP_MONITOR));
        if (fd < 0) {
            return;
        }
        try {
            byte[] value = ByteBuffer.allocate(Shared.MONITOR_SIZE).order(ByteOrder.LITTLE_ENDIAN).putInt(mask)
                    .putInt(Shared.XNET_EVENT_RATE).array();
            bpf.update(fd, MapEncoding.u32(0), value, Bpf.BPF_ANY);
        } finally {
            bpf.close(fd);
        }
    }

    /** What the programs refused so far for these kinds, summed over the CPUs. */
    private long suppressedNow(Bpf bpf, int mask) {
        int fd = bpf.pinned(pins.map(Shared.XNET_MAP_EVENT_BUDGET));
        if (fd < 0) {
            return 0;
        }
        try {
            int cpus = bpf.possibleCpus();
            byte[] value = new byte[Shared.EVENT_BUDGET_SIZE * cpus];
            long sum = 0;
            for (int kind = 0; kind < Shared.XNET_EVENT_KINDS; kind++) {
                if ((mask & (1 << kind)) != 0 && bpf.lookup(fd, MapEncoding.u32(kind), value)) {
                    ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
                    for (int cpu = 0; cpu < cpus; cpu++) {
                        sum += b.getLong(cpu * Shared.EVENT_BUDGET_SIZE + 16);
                    }
                }
            }
            return sum;
        } finally {
            bpf.close(fd);
        }
    }

    /** One monitor: the records of its kinds, decoded in its own thread as it takes them. */
    private final class Subscription implements EventFeed {

        private final int mask;
        private final Supplier<RunningState> running;
        private final long suppressedAtStart;
        private final BlockingQueue<byte[]> waiting = new ArrayBlockingQueue<>(BACKLOG);
        private final AtomicLong lost = new AtomicLong();
        private volatile RuntimeException failure;
        private EventDecoder decoder;

        Subscription(int mask, Supplier<RunningState> running, long suppressedAtStart) {
            this.mask = mask;
            this.running = running;
            this.suppressedAtStart = suppressedAtStart;
        }

        void offer(int kind, byte[] record) {
            if ((mask & (1 << kind)) != 0 && !waiting.offer(record)) {
                lost.incrementAndGet();
            }
        }

        void fail(RuntimeException cause) {
            failure = cause;
        }

        @Override
        public List<DatapathEvent> next(long timeoutMillis) throws InterruptedException {
            List<byte[]> records = new ArrayList<>();
            byte[] first = waiting.poll(timeoutMillis, TimeUnit.MILLISECONDS);
            if (failure != null) {
                throw failure;
            }
            if (first == null) {
                return List.of();
            }
            records.add(first);
            waiting.drainTo(records);
            RunningState state = running.get();
            if (decoder == null || !decoder.isFor(state)) {
                decoder = new EventDecoder(state, EventDecoder.wallMinusMonotonicNow());
            }
            return records.stream().map(decoder::decode).toList();
        }

        @Override
        public long suppressed() {
            synchronized (EventHub.this) {
                return suppressedNow(binding.get(), mask) - suppressedAtStart + lost.get();
            }
        }

        @Override
        public int ratePerCpu() {
            return Shared.XNET_EVENT_RATE;
        }

        @Override
        public void close() {
            unsubscribe(this);
        }
    }
}
