package xnet.session;

import xnet.model.Config;

/** One entry of the commit history: the whole configuration it made running, and why. */
public record CommitRecord(int number, String at, String user, String comment, String summary, Config config,
                           DatapathState datapath) {

    public CommitRecord(int number, String at, String user, String comment, String summary, Config config) {
        this(number, at, user, comment, summary, config, DatapathState.NONE);
    }
}
