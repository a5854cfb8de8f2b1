package xnet.datapath;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import xnet.model.FilterRule;

/**
 * Random edits of a rule list, as a user makes them: add at the end, insert before a rule,
 * delete, change a rule in place (same id), move a rule. New rules get ids never used before.
 */
public final class RuleEdits {

    private final Random random;
    private final List<FilterRule> pool;
    private int nextId;

    public RuleEdits(long seed, int firstId) {
        this.random = new Random(seed);
        this.pool = PacketFactory.randomRules(seed * 31 + 7, 5_000);
        this.nextId = firstId;
    }

    private FilterRule fresh(int id) {
        FilterRule r = pool.get(random.nextInt(pool.size()));
        return new FilterRule(id, r.action(), r.from(), r.to(), r.proto(), r.port());
    }

    /** The list after {@code edits} random edits (a new list; the old one is untouched). */
    public List<FilterRule> edit(List<FilterRule> rules, int edits) {
        List<FilterRule> out = new ArrayList<>(rules);
        for (int e = 0; e < edits; e++) {
            int kind = out.isEmpty() ? 0 : random.nextInt(6);
            switch (kind) {
                case 0 -> out.add(fresh(nextId++));
                case 1 -> out.add(random.nextInt(out.size() + 1), fresh(nextId++));
                case 2 -> out.remove(random.nextInt(out.size()));
                case 3 -> {
                    int at = random.nextInt(out.size());
                    out.set(at, fresh(out.get(at).id()));
                }
                case 4 -> {
                    FilterRule moved = out.remove(random.nextInt(out.size()));
                    out.add(random.nextInt(out.size() + 1), moved);
                }
                default -> {
                    // a run of rules inserted together at one place
                    int at = random.nextInt(out.size() + 1);
                    for (int i = 0; i < 1 + random.nextInt(5); i++) {
                        out.add(at + i, fresh(nextId++));
                    }
                }
            }
        }
        return out;
    }
}
