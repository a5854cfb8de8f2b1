package xnet.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import xnet.model.Bridge;
import xnet.model.Config;
import xnet.model.Container;

/**
 * Where the host's links differ from the running config: a bridge or a container's veth gone, a
 * veth taken off its bridge or set down by hand. A commit goes by the running config, so over
 * such drift it would succeed and leave the container cut off without a word; it is refused
 * instead, naming what differs, unless the commit itself makes that object anew (changes or
 * deletes it). Plain data: the adapter reads the links, this compares.
 */
public final class LinkDrift {

    /** A link of the host namespace as `ip -j link` shows it; {@code master} null when on no bridge. */
    public record Link(String name, String master, boolean up) {
    }

    /** What differs, and the object of the config it belongs to: a bridge or a container, by name. */
    public record Finding(boolean bridge, String name, String what) {

        /** "bridge br1", "container web". */
        public String object() {
            return (bridge ? "bridge " : "container ") + name;
        }
    }

    private LinkDrift() {
    }

    public static List<Finding> of(Config running, Map<String, Link> links) {
        List<Finding> found = new ArrayList<>();
        for (Bridge bridge : running.bridges().values()) {
            Link link = links.get(bridge.name());
            if (link == null) {
                found.add(new Finding(true, bridge.name(), "bridge " + bridge.name() + " is missing"));
            } else if (!link.up()) {
                found.add(new Finding(true, bridge.name(), "bridge " + bridge.name() + " is down"));
            }
        }
        for (Container container : running.containers().values()) {
            String veth = TargetLayout.hostVeth(container.name());
            String object = "container " + container.name();
            Link link = links.get(veth);
            if (link == null) {
                found.add(new Finding(false, container.name(), veth + " (" + object + "'s veth) is missing"));
            } else if (!container.bridge().equals(link.master())) {
                found.add(new Finding(false, container.name(), veth + " (" + object + "'s veth) is not on bridge "
                        + container.bridge() + (link.master() == null ? " (on none)" : " (on " + link.master() + ")")));
            } else if (!link.up()) {
                found.add(new Finding(false, container.name(), veth + " (" + object + "'s veth) is down"));
            }
        }
        return found;
    }

    /** The findings whose object the candidate keeps as the running config has it. */
    public static List<Finding> untouchedBy(List<Finding> findings, Config running, Config candidate) {
        return findings.stream().filter(f -> f.bridge()
                ? Objects.equals(running.bridges().get(f.name()), candidate.bridges().get(f.name()))
                : Objects.equals(running.containers().get(f.name()), candidate.containers().get(f.name()))).toList();
    }
}
