package xnet.render;

import java.util.ArrayList;
import java.util.List;

import xnet.diff.Change;
import xnet.diff.ChangeSet;
import xnet.model.Bridge;
import xnet.model.Container;
import xnet.model.FilterRule;
import xnet.model.NatRule;

/** `compare` output: one line per changed object, "+" added, "-" removed, "~" changed. */
public final class ChangeRenderer {

    private ChangeRenderer() {
    }

    public static List<String> lines(ChangeSet changes) {
        List<String> lines = new ArrayList<>();
        for (Change<Bridge> c : changes.bridges()) {
            lines.add(c.symbol() + " bridge " + c.name() + " " + describe(c.before(), c.after(), Bridge::subnet));
        }
        for (Change<Container> c : changes.containers()) {
            lines.add(c.symbol() + " container " + c.name() + " "
                    + describe(c.before(), c.after(), x -> x.bridge() + " " + x.ip()));
        }
        for (Change<xnet.model.Tunnel> c : changes.tunnels()) {
            lines.add(c.symbol() + " tunnel " + c.name() + " " + describe(c.before(), c.after(),
                    t -> "VNI " + t.vni() + " to " + t.remote() + " on " + t.bridge()));
        }
        for (Change<FilterRule> c : changes.filters()) {
            lines.add(c.symbol() + " filter " + c.name() + " " + describe(c.before(), c.after(), FilterRule::text));
        }
        for (Change<NatRule> c : changes.nats()) {
            lines.add(c.symbol() + " nat " + c.name() + " " + describe(c.before(), c.after(), NatRule::text));
        }
        for (Change<String> c : changes.settings()) {
            lines.add(c.symbol() + " " + c.name() + " " + describe(c.before(), c.after(), x -> x));
        }
        return lines;
    }

    private static <T> String describe(T before, T after, java.util.function.Function<T, Object> view) {
        if (before == null) {
            return String.valueOf(view.apply(after));
        }
        if (after == null) {
            return String.valueOf(view.apply(before));
        }
        return view.apply(before) + " -> " + view.apply(after);
    }
}
