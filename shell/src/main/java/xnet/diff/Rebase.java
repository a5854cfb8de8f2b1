package xnet.diff;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import xnet.model.Config;
import xnet.model.NatRule;

/**
 * A session's changes replayed on a running config that moved on since the session started
 * (another shell, or the container runtime through CNI, committed in between), as git rebases a
 * branch. Bridges, containers and tunnels merge by name, NAT rules by id (a new rule of the
 * session whose id the other side took gets the next free one); the filter list, the default
 * action and the datapath settings merge as wholes. When both sides changed the same thing the
 * rebase refuses and says what: nothing is guessed.
 */
public final class Rebase {

    /** The merged config, or the conflicts that prevent it (then the config is meaningless). */
    public record Result(Config config, List<String> conflicts, List<String> notes) {
        public boolean merged() {
            return conflicts.isEmpty();
        }
    }

    private Rebase() {
    }

    public static Result onto(Config base, Config mine, Config theirs) {
        List<String> conflicts = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        SortedMap<String, xnet.model.Bridge> bridges = byName("bridge", base.bridges(), mine.bridges(), theirs.bridges(), conflicts);
        SortedMap<String, xnet.model.Container> containers = byName("container", base.containers(), mine.containers(),
                theirs.containers(), conflicts);
        SortedMap<String, xnet.model.Tunnel> tunnels = byName("tunnel", base.tunnels(), mine.tunnels(), theirs.tunnels(), conflicts);
        var filters = whole("the filter rules", base.filters(), mine.filters(), theirs.filters(), conflicts);
        var defaultAction = whole("the default action", base.defaultAction(), mine.defaultAction(),
                theirs.defaultAction(), conflicts);
        var datapath = whole("the datapath settings", base.datapath(), mine.datapath(), theirs.datapath(), conflicts);
        int nextNat = Math.max(mine.nextNatId(), theirs.nextNatId());
        List<NatRule> nats = nats(base.nats(), mine.nats(), theirs.nats(), nextNat, conflicts, notes);
        nextNat = Math.max(nextNat, nats.stream().mapToInt(NatRule::id).max().orElse(0) + 1);
        Config merged = new Config(bridges, containers, filters, defaultAction, nats, datapath,
                Math.max(mine.nextFilterId(), theirs.nextFilterId()), nextNat, tunnels);
        return new Result(merged, conflicts, notes);
    }

    private static <V> SortedMap<String, V> byName(String kind, Map<String, V> base, Map<String, V> mine,
                                                   Map<String, V> theirs, List<String> conflicts) {
        SortedMap<String, V> out = new TreeMap<>(theirs);
        Set<String> names = new HashSet<>(base.keySet());
        names.addAll(mine.keySet());
        for (String name : names) {
            V before = base.get(name);
            V mineNow = mine.get(name);
            if (Objects.equals(before, mineNow)) {
                continue;
            }
            V theirsNow = theirs.get(name);
            if (!Objects.equals(before, theirsNow) && !Objects.equals(mineNow, theirsNow)) {
                conflicts.add(kind + " " + name + " was changed here and by the other commit");
            } else if (mineNow == null) {
                out.remove(name);
            } else {
                out.put(name, mineNow);
            }
        }
        return out;
    }

    private static <T> T whole(String what, T base, T mine, T theirs, List<String> conflicts) {
        if (Objects.equals(base, mine)) {
            return theirs;
        }
        if (!Objects.equals(base, theirs) && !Objects.equals(mine, theirs)) {
            conflicts.add(what + " were changed here and by the other commit");
        }
        return mine;
    }

    private static List<NatRule> nats(List<NatRule> base, List<NatRule> mine, List<NatRule> theirs, int nextId,
                                      List<String> conflicts, List<String> notes) {
        Map<Integer, NatRule> before = index(base);
        Map<Integer, NatRule> mineById = index(mine);
        TreeMap<Integer, NatRule> out = new TreeMap<>(index(theirs));
        Set<Integer> ids = new HashSet<>(before.keySet());
        ids.addAll(mineById.keySet());
        int next = nextId;
        for (int id : new java.util.TreeSet<>(ids)) {
            NatRule was = before.get(id);
            NatRule now = mineById.get(id);
            if (Objects.equals(was, now)) {
                continue;
            }
            NatRule theirsNow = out.get(id);
            if (was == null && theirsNow != null && !theirsNow.equals(now)) {
                // both added a rule under the same new id: mine moves to the next free one
                NatRule moved = new NatRule(next++, now.publicIp(), now.publicPort(), now.privateIp(),
                        now.privatePort(), now.proto());
                out.put(moved.id(), moved);
                notes.add("NAT rule " + id + " (" + now.text() + ") is now NAT rule " + moved.id());
            } else if (!Objects.equals(was, theirsNow) && !Objects.equals(now, theirsNow)) {
                conflicts.add("NAT rule " + id + " was changed here and by the other commit");
            } else if (now == null) {
                out.remove(id);
            } else {
                out.put(id, now);
            }
        }
        return List.copyOf(out.values());
    }

    private static Map<Integer, NatRule> index(List<NatRule> rules) {
        Map<Integer, NatRule> out = new TreeMap<>();
        rules.forEach(r -> out.put(r.id(), r));
        return out;
    }
}
