package xnet.session;

import xnet.model.Config;

/** The BPF side of a commit: programs and maps prepared aside, then swapped in at apply. */
public interface DatapathPort {

    /**
     * Builds everything the candidate needs without touching what traffic sees. {@code filters}
     * is how the candidate's rules differ from the running ones, or null to build from nothing
     * (`lab rebuild`).
     */
    Prepared prepare(Config candidate, RunningState running, xnet.diff.FilterDelta filters);

    interface Prepared {
        /** Swaps the links to the new programs; on failure it swaps back what it swapped and throws. */
        DatapathState apply();

        /** Takes back an applied swap (used when recording the commit fails). */
        void revert();

        /** Releases what was prepared; after apply, only what no link holds. */
        void close();
    }

    DatapathPort NONE = (candidate, running, filters) -> new Prepared() {
        @Override
        public DatapathState apply() {
            return running.datapath();
        }

        @Override
        public void revert() {
        }

        @Override
        public void close() {
        }
    };
}
