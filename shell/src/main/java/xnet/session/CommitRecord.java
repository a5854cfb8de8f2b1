package xnet.session;

import com.fasterxml.jackson.annotation.JsonInclude;

import xnet.model.Config;

/** One entry of the commit history. {@code config} is null in history listings, which skip it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CommitRecord(int number, String at, String user, String comment, String summary, Config config,
                           DatapathState datapath) {

    public CommitRecord(int number, String at, String user, String comment, String summary, Config config) {
        this(number, at, user, comment, summary, config, DatapathState.NONE);
    }
}
