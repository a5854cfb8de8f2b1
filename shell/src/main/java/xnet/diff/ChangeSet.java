package xnet.diff;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import xnet.model.Bridge;
import xnet.model.Config;
import xnet.model.Container;

/** The difference between the running and the candidate configuration, as plain data. */
public record ChangeSet(List<Change<Bridge>> bridges, List<Change<Container>> containers) {

    public static ChangeSet between(Config running, Config candidate) {
        return new ChangeSet(diff(running.bridges(), candidate.bridges()),
                diff(running.containers(), candidate.containers()));
    }

    static <T> List<Change<T>> diff(Map<String, T> before, Map<String, T> after) {
        TreeSet<String> names = new TreeSet<>(before.keySet());
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
        return bridges.isEmpty() && containers.isEmpty();
    }

    public int size() {
        return bridges.size() + containers.size();
    }

    public int count(Change.Kind kind) {
        return (int) (bridges.stream().filter(c -> c.kind() == kind).count()
                + containers.stream().filter(c -> c.kind() == kind).count());
    }

    /** "+2 ~1 -0", for history lines and commit messages. */
    public String summary() {
        return "+" + count(Change.Kind.ADDED) + " ~" + count(Change.Kind.CHANGED) + " -" + count(Change.Kind.REMOVED);
    }
}
