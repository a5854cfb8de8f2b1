package xnet.session;

import xnet.model.Config;

/** The BPF side of a commit: programs and maps prepared aside, then swapped in at apply. */
public interface DatapathPort {

    /** Builds everything the candidate needs without touching what traffic sees. */
    Prepared prepare(Config candidate, RunningState running);

    interface Prepared {
        /** Swaps the links to the new programs; on failure it swaps back what it swapped and throws. */
        DatapathState apply();

        /** Takes back an applied swap (used when recording the commit fails). */
        void revert();

        /** Releases what was prepared; after apply, only what no link holds. */
        void close();
    }

    DatapathPort NONE = (candidate, running) -> new Prepared() {
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
