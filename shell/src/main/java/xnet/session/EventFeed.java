package xnet.session;

import java.util.List;

/** A monitor's stream of datapath events, from when it was opened until {@link #close}. */
public interface EventFeed extends AutoCloseable {

    /** The events that arrive within {@code timeoutMillis}; empty when none did. */
    List<DatapathEvent> next(long timeoutMillis) throws InterruptedException;

    /**
     * Events of this feed's kinds that the programs did not send since it was opened: over the
     * per-CPU rate limit, or the ring buffer full (both counted by the programs), or read faster
     * than this feed's reader took them.
     */
    long suppressed();

    /** The most events of a kind each CPU sends per second. */
    int ratePerCpu();

    @Override
    void close();
}
