package xnet.model;

import java.util.ArrayList;
import java.util.List;

/** Edits of filter rules, NAT rules and the datapath settings, checked as they are made. */
public final class RuleEditor {

    /** Counter slots of the BPF programs bound the number of rules (see bpf/include/xnet_shared.h). */
    public static final int MAX_FILTER_RULES = 1_048_576;

    private final Validator validator;

    public RuleEditor(Validator validator) {
        this.validator = validator;
    }

    /** Adds the rule (its id is the config's next) at the end, or before rule {@code beforeId}. */
    public Config addFilter(Config config, FilterRule rule, Integer beforeId) {
        if (config.filters().size() >= MAX_FILTER_RULES) {
            throw new ConfigException("at most " + MAX_FILTER_RULES + " filter rules");
        }
        int index = config.filters().size();
        if (beforeId != null) {
            index = indexOf(config.filters().stream().map(FilterRule::id).toList(), beforeId, "filter rule");
        }
        FilterRule added = rule.withId(config.nextFilterId());
        Validator.refuse(validator.checkFilter(added));
        return config.withFilterAt(index, added);
    }

    public Config deleteFilter(Config config, int id) {
        List<FilterRule> next = new ArrayList<>(config.filters());
        next.remove(indexOf(config.filters().stream().map(FilterRule::id).toList(), id, "filter rule"));
        return config.withFilters(next);
    }

    public Config addNat(Config config, NatEndpoint pub, NatEndpoint priv, Proto proto) {
        if ((pub.port() == 0) != (priv.port() == 0)) {
            throw new ConfigException("give ports on both sides (IP:PORT -> IP:PORT) or on neither (IP -> IP)");
        }
        boolean whole = pub.port() == 0;
        if (whole && proto != null) {
            throw new ConfigException("a whole-address rule (IP -> IP) translates every protocol; drop 'proto'");
        }
        Proto p = whole ? Proto.ANY : proto == null ? Proto.TCP : proto;
        NatRule rule = new NatRule(config.nextNatId(), pub.ip(), pub.port(), priv.ip(), priv.port(), p);
        Config next = config.withNat(rule);
        Validator.refuse(validator.checkNat(next, rule));
        return next;
    }

    public Config deleteNat(Config config, int id) {
        List<NatRule> next = new ArrayList<>(config.nats());
        next.remove(indexOf(config.nats().stream().map(NatRule::id).toList(), id, "NAT rule"));
        return config.withNats(next);
    }

    /** Sets the hook for all attach points, or for one (the uplink or a container). */
    public Config setHook(Config config, Datapath.Hook hook, String attachPoint, Datapath.XdpMode mode) {
        Datapath d = config.datapath();
        if (mode != null && hook != Datapath.Hook.XDP) {
            throw new ConfigException("'mode' applies to xdp only");
        }
        if (attachPoint == null) {
            Datapath next = new Datapath(hook, mode == null ? d.xdpMode() : mode, d.strategy(), java.util.Map.of(),
                    d.fastpath());
            Validator.refuse(validator.checkDatapath(next));
            return config.withDatapath(next);
        }
        if (!hook.bpf()) {
            throw new ConfigException(hook + " applies to the whole target, not to one interface");
        }
        if (!attachPoint.equals("uplink") && !config.containers().containsKey(attachPoint)) {
            throw new ConfigException("no attach point " + attachPoint + " (the uplink, or a container)");
        }
        java.util.Map<String, Datapath.Hook> per = new java.util.TreeMap<>(d.perInterface());
        per.put(attachPoint, hook);
        Datapath next = new Datapath(d.hook(), mode == null ? d.xdpMode() : mode, d.strategy(), per, d.fastpath());
        Validator.refuse(validator.checkDatapath(next));
        return config.withDatapath(next);
    }

    public Config setStrategy(Config config, Datapath.Strategy strategy) {
        Datapath d = config.datapath();
        return config.withDatapath(new Datapath(d.hook(), d.xdpMode(), strategy, d.perInterface(), d.fastpath()));
    }

    /** The fast path (bpf/lib/fastpath.h); the validator refuses it where a hook is not tc. */
    public Config setFastpath(Config config, boolean on) {
        Config next = config.withDatapath(config.datapath().withFastpath(on));
        Validator.refuse(validator.checkDatapath(next.datapath()));
        return next;
    }

    private static int indexOf(List<Integer> ids, int id, String what) {
        int index = ids.indexOf(id);
        if (index < 0) {
            throw new ConfigException("no " + what + " " + id + (ids.isEmpty() ? " (there are none)"
                    : " (ids: " + summary(ids) + ")"));
        }
        return index;
    }

    private static String summary(List<Integer> ids) {
        List<Integer> sorted = ids.stream().sorted().toList();
        return sorted.size() <= 10 ? sorted.toString().replaceAll("[\\[\\]]", "")
                : sorted.get(0) + ".." + sorted.get(sorted.size() - 1);
    }
}
