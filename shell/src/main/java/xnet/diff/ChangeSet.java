package xnet.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import xnet.model.Bridge;
import xnet.model.Config;
import xnet.model.Container;
import xnet.model.FilterRule;
import xnet.model.NatRule;
import xnet.model.Tunnel;

/** The difference between the running and the candidate configuration, as plain data. */
public record ChangeSet(List<Change<Bridge>> bridges, List<Change<Container>> containers,
                        List<Change<FilterRule>> filters, List<Change<NatRule>> nats, List<Change<String>> settings,
                        List<Change<Tunnel>> tunnels) {

    public static ChangeSet between(Config running, Config candidate) {
        return between(running, candidate, FilterDelta.between(running.filters(), candidate.filters()));
    }

    /** With the rules' delta already found (a commit needs it for the datapath too). */
    public static ChangeSet between(Config running, Config candidate, FilterDelta rules) {
        List<Change<String>> settings = new ArrayList<>();
        if (running.defaultAction() != candidate.defaultAction()) {
            settings.add(new Change<>(Change.Kind.CHANGED, "filter default", running.defaultAction().toString(),
                    candidate.defaultAction().toString()));
        }
        if (!running.datapath().equals(candidate.datapath())) {
            settings.add(new Change<>(Change.Kind.CHANGED, "datapath", describe(running), describe(candidate)));
        }
        return new ChangeSet(diff(running.bridges(), candidate.bridges()),
                diff(running.containers(), candidate.containers()), filterChanges(rules, settings),
                diffById(running.nats(), candidate.nats(), NatRule::id), settings,
                diff(running.tunnels(), candidate.tunnels()));
    }

    /**
     * Added, changed and removed rules by id; a rule that only moved is reported as a change of
     * the filter order (a setting), as its text is the same.
     */
    private static List<Change<FilterRule>> filterChanges(FilterDelta delta, List<Change<String>> settings) {
        java.util.HashMap<Integer, FilterRule> removed = new java.util.HashMap<>();
        delta.removed().forEach(r -> removed.put(r.id(), r));
        List<Change<FilterRule>> changes = new ArrayList<>();
        List<Integer> moved = new ArrayList<>();
        for (FilterDelta.Placed placed : delta.added()) {
            FilterRule is = placed.rule();
            FilterRule was = removed.remove(is.id());
            if (was == null) {
                changes.add(new Change<>(Change.Kind.ADDED, Integer.toString(is.id()), null, is));
            } else if (!was.equals(is)) {
                changes.add(new Change<>(Change.Kind.CHANGED, Integer.toString(is.id()), was, is));
            } else {
                moved.add(is.id());
            }
        }
        removed.values().forEach(was -> changes.add(new Change<>(Change.Kind.REMOVED, Integer.toString(was.id()), was, null)));
        changes.sort(java.util.Comparator.comparingInt(c -> Integer.parseInt(c.name())));
        if (!moved.isEmpty()) {
            java.util.Collections.sort(moved);
            settings.add(new Change<>(Change.Kind.CHANGED, "filter order", "", "moved ids " + abbreviate(moved)));
        }
        return changes;
    }

    private static String abbreviate(List<Integer> ids) {
        return ids.size() <= 20 ? ids.toString() : ids.subList(0, 20) + "... (" + ids.size() + ")";
    }

    private static String describe(Config config) {
        var d = config.datapath();
        return d.hook() + (d.hook() == xnet.model.Datapath.Hook.XDP ? " " + d.xdpMode() : "") + ", strategy "
                + d.strategy() + (d.perInterface().isEmpty() ? "" : ", " + d.perInterface());
    }

    /** Rules by id, in id order; linear in the number of rules (a million must stay quick). */
    private static <T> List<Change<T>> diffById(List<T> before, List<T> after, java.util.function.ToIntFunction<T> id) {
        java.util.HashMap<Integer, T> old = new java.util.HashMap<>(before.size() * 2);
        before.forEach(r -> old.put(id.applyAsInt(r), r));
        List<Change<T>> changes = new ArrayList<>();
        java.util.HashSet<Integer> seen = new java.util.HashSet<>(after.size() * 2);
        for (T is : after) {
            int key = id.applyAsInt(is);
            seen.add(key);
            T was = old.get(key);
            if (was == null) {
                changes.add(new Change<>(Change.Kind.ADDED, Integer.toString(key), null, is));
            } else if (!was.equals(is)) {
                changes.add(new Change<>(Change.Kind.CHANGED, Integer.toString(key), was, is));
            }
        }
        for (T was : before) {
            int key = id.applyAsInt(was);
            if (!seen.contains(key)) {
                changes.add(new Change<>(Change.Kind.REMOVED, Integer.toString(key), was, null));
            }
        }
        changes.sort(java.util.Comparator.comparingInt(c -> Integer.parseInt(c.name())));
        return changes;
    }

    static <T> List<Change<T>> diff(Map<String, T> before, Map<String, T> after) {
        TreeSet<String> names = new TreeSet<>();
        names.addAll(before.keySet());
        names.addAll(after.keySet());
        List<Change<T>> changes = new ArrayList<>();
        for (String name : names) {
            T old = before.get(name);
            T now = after.get(name);
            if (old == null) {
                changes.add(new Change<>(Change.Kind.ADDED, name, null, now));
            } else if (now == null) {
                changes.add(new Change<>(Change.Kind.REMOVED, name, old, null));
            } else if (!Objects.equals(old, now)) {
                changes.add(new Change<>(Change.Kind.CHANGED, name, old, now));
            }
        }
        return changes;
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    public int size() {
        return bridges.size() + containers.size() + filters.size() + nats.size() + settings.size() + tunnels.size();
    }

    /** Whether the BPF programs or their maps must change (rules, NAT, datapath settings). */
    public boolean touchesRules() {
        return !filters.isEmpty() || !nats.isEmpty() || !settings.isEmpty();
    }

    public int count(Change.Kind kind) {
        return (int) (bridges.stream().filter(c -> c.kind() == kind).count()
                + containers.stream().filter(c -> c.kind() == kind).count()
                + filters.stream().filter(c -> c.kind() == kind).count()
                + nats.stream().filter(c -> c.kind() == kind).count()
                + settings.stream().filter(c -> c.kind() == kind).count()
                + tunnels.stream().filter(c -> c.kind() == kind).count());
    }

    /** "+2 ~1 -0", for history lines and commit messages. */
    public String summary() {
        return "+" + count(Change.Kind.ADDED) + " ~" + count(Change.Kind.CHANGED) + " -" + count(Change.Kind.REMOVED);
    }
}
