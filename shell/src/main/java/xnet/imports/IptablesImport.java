package xnet.imports;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import xnet.model.Config;
import xnet.model.FilterRule;
import xnet.model.Ipv4;
import xnet.model.NatRule;
import xnet.model.PortRange;
import xnet.model.Proto;

/**
 * `iptables-save` output turned into xnet's rules: the filter table's FORWARD chain (with the user
 * chains it jumps to read in place) becomes
 * the filter list in order, its policy the default action, and the nat table's PREROUTING DNAT
 * rules become static NAT. What has no xnet equivalent is listed with its line and the reason,
 * never imported as something else.
 *
 * <p>A jump to a user chain, with or without conditions, is read in place: the jump's
 * conditions are added to each rule of that chain (prefixes nest or are disjoint, port ranges
 * and connection states intersect, so each pair is again one rule).
 *
 * <p>`-m conntrack --ctstate` and `-m state --state` with NEW, ESTABLISHED and RELATED become the
 * rule's connection states (xnet tracks them as conntrack names them); other states are refused.
 *
 * <p>Decisions: REJECT becomes drop (xnet answers nothing; the flow is stopped either way);
 * RETURN in FORWARD is the policy; a LOG rule right before a DROP or REJECT with the same matches
 * makes that rule a `drop log` (xnet's export writes the pair); any other LOG, and rules without
 * a target, do not change a verdict and are left out with a note. xnet has one rule list for
 * forwarded traffic and traffic to the host, so INPUT is accepted when it is FORWARD's list again (xnet's export) and listed otherwise.
 * MASQUERADE of a DNAT target's own subnet in POSTROUTING is what xnet does by itself for
 * hairpin traffic. A rule the candidate has already keeps its id (a filter rule by its comment
 * "xnet N", as xnet's export writes it; a NAT rule by its text), so that an export read back in
 * changes nothing; every other rule gets a new id.
 */
public final class IptablesImport {

    /** A line that was not imported, and why. */
    public record Untranslated(int line, String text, String why) {
        @Override
        public String toString() {
            return "line " + line + ": " + why + "\n    " + text;
        }
    }

    /** The rules the file holds for xnet, what could not be translated, and notes on what was read loosely. */
    public record Result(List<FilterRule> filters, FilterRule.Action defaultAction, List<NatRule> nats,
                         List<Untranslated> untranslated, List<String> notes, int nextFilterId, int nextNatId) {

        public boolean complete() {
            return untranslated.isEmpty();
        }

        /** The candidate with its filter rules, default action and NAT rules replaced by these. */
        public Config applyTo(Config candidate) {
            return new Config(candidate.bridges(), candidate.containers(), filters, defaultAction, nats,
                    candidate.datapath(), nextFilterId, nextNatId, candidate.tunnels());
        }
    }

    private static final int MAX_DEPTH = 16;

    private final Config candidate;
    private final List<Untranslated> untranslated = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Set<Integer> filterIds = new HashSet<>();
    private int nextFilterId;
    private int nextNatId;

    private IptablesImport(Config candidate) {
        this.candidate = candidate;
        this.nextFilterId = candidate.nextFilterId();
        this.nextNatId = candidate.nextNatId();
    }

    public static Result of(String iptablesSave, Config candidate) {
        return new IptablesImport(candidate).translate(IptablesSave.parse(iptablesSave));
    }

    private Result translate(List<IptablesSave.Table> tables) {
        List<FilterRule> filters = new ArrayList<>();
        FilterRule.Action defaultAction = FilterRule.Action.ALLOW;
        List<NatRule> nats = new ArrayList<>();
        for (IptablesSave.Table table : tables) {
            switch (table.name()) {
                case "filter" -> defaultAction = filterTable(table, filters);
                case "nat" -> natTable(table, nats);
                default -> table.chains().values().forEach(chain -> chain.rules().forEach(r -> refuse(r,
                        "table " + table.name() + " is not imported (xnet has filter and static NAT rules)")));
            }
        }
        // a line in a chain that both FORWARD and INPUT jump to is read twice, and said once
        Map<Integer, Untranslated> byLine = new java.util.TreeMap<>();
        untranslated.forEach(u -> byLine.putIfAbsent(u.line(), u));
        return new Result(filters, defaultAction, nats, List.copyOf(byLine.values()), notes.stream().distinct().toList(),
                nextFilterId, nextNatId);
    }

    private FilterRule.Action filterTable(IptablesSave.Table table, List<FilterRule> filters) {
        IptablesSave.Chain forward = table.chains().get("FORWARD");
        FilterRule.Action policy = forward == null ? FilterRule.Action.ALLOW : policy(forward);
        List<ParsedRule> forwardRules = forward == null ? List.of() : flatten(table, forward, 0);
        List<ParsedRule> imported = forwardRules;
        // An unconditional verdict at the end decides whatever the policy says (xnet's export
        // ends its chain with "xnet default"): it is the default action, not one more rule.
        ParsedRule last = forwardRules.isEmpty() ? null : forwardRules.get(forwardRules.size() - 1);
        if (last != null && last.unconditional() && List.of("ACCEPT", "DROP", "REJECT").contains(last.target())) {
            policy = last.target().equals("ACCEPT") ? FilterRule.Action.ALLOW : FilterRule.Action.DROP;
            imported = forwardRules.subList(0, forwardRules.size() - 1);
        }
        for (int i = 0; i < imported.size(); i++) {
            ParsedRule rule = imported.get(i);
            ParsedRule next = i + 1 < imported.size() ? imported.get(i + 1) : null;
            if (loggedDrop(rule, next)) {
                filter(next, policy, filters, true); // the LOG and its DROP: one logging rule, as xnet exports it
                i++;
            } else {
                filter(rule, policy, filters, false);
            }
        }
        IptablesSave.Chain input = table.chains().get("INPUT");
        if (input != null) {
            List<ParsedRule> inputRules = flatten(table, input, 0);
            boolean sameAsForward = inputRules.stream().map(r -> r.rule().line()).toList()
                    .equals(forwardRules.stream().map(r -> r.rule().line()).toList());
            if (!inputRules.isEmpty() && !sameAsForward) {
                inputRules.forEach(r -> refuse(r.rule(), "INPUT differs from FORWARD: xnet has one rule list for "
                        + "forwarded traffic and traffic to the host, and imports FORWARD's"));
            } else if (policy(input) != policy) {
                notes.add("line " + input.line() + ": INPUT's policy " + input.policy() + " is not FORWARD's; xnet's "
                        + "default action (FORWARD's) applies to traffic to the host as well");
            }
        }
        IptablesSave.Chain output = table.chains().get("OUTPUT");
        if (output != null) {
            output.rules().forEach(r -> refuse(r, "OUTPUT: xnet filters what enters its attach points, not what the "
                    + "host itself sends"));
        }
        return policy;
    }

    /** A LOG rule right before a DROP or REJECT of the same packets: xnet's `drop log`. */
    private static boolean loggedDrop(ParsedRule rule, ParsedRule next) {
        return "LOG".equals(rule.target()) && next != null && List.of("DROP", "REJECT").contains(next.target())
                && rule.sameMatches(next);
    }

    private void filter(ParsedRule rule, FilterRule.Action policy, List<FilterRule> out, boolean log) {
        FilterRule.Action action;
        String target = rule.target() == null ? "" : rule.target();
        switch (target) {
            case "ACCEPT" -> action = FilterRule.Action.ALLOW;
            case "DROP" -> action = FilterRule.Action.DROP;
            case "REJECT" -> {
                action = FilterRule.Action.DROP;
                notes.add("line " + rule.rule().line() + ": REJECT imported as drop (xnet sends no ICMP error or RST)");
            }
            case "RETURN" -> action = policy;
            case "", "LOG", "NFLOG" -> {
                notes.add("line " + rule.rule().line() + ": " + (target.isEmpty() ? "a rule without a target" : target)
                        + " changes no verdict; not imported");
                return;
            }
            default -> {
                refuse(rule.rule(), "the target " + target);
                return;
            }
        }
        List<PortRange> ports = rule.ports().isEmpty() ? java.util.Collections.singletonList(null) : rule.ports();
        Integer commented = xnetId(rule.comment());
        for (PortRange port : ports) {
            FilterRule shape = new FilterRule(0, action, rule.from(), rule.to(), rule.proto(), port, rule.states(), log);
            // the candidate's own rule, exported and read again, keeps its id (and its counters);
            // any other rule gets a new one: an id is never given twice along one history
            boolean same = commented != null && candidate.filters().stream()
                    .anyMatch(r -> r.id() == commented && r.sameRule(shape));
            int id = same && filterIds.add(commented) ? commented : freshFilterId();
            out.add(shape.withId(id));
        }
    }

    private int freshFilterId() {
        while (filterIds.contains(nextFilterId)) {
            nextFilterId++;
        }
        filterIds.add(nextFilterId);
        return nextFilterId++;
    }

    /** 12 for "xnet 12", as xnet's export comments its rules; null for any other comment. */
    private static Integer xnetId(String comment) {
        if (comment == null || !comment.matches("xnet [1-9][0-9]{0,8}")) {
            return null;
        }
        return Integer.parseInt(comment.substring(5));
    }

    private void natTable(IptablesSave.Table table, List<NatRule> out) {
        IptablesSave.Chain prerouting = table.chains().get("PREROUTING");
        if (prerouting != null) {
            for (ParsedRule rule : flatten(table, prerouting, 0)) {
                nat(rule, out);
            }
        }
        IptablesSave.Chain postrouting = table.chains().get("POSTROUTING");
        if (postrouting != null) {
            for (ParsedRule rule : flatten(table, postrouting, 0)) {
                boolean hairpin = "MASQUERADE".equals(rule.target()) && rule.to() != null && rule.to().prefix() == 32
                        && out.stream().anyMatch(n -> n.privateIp().equals(rule.to().network()));
                if (hairpin) {
                    notes.add("line " + rule.rule().line() + ": MASQUERADE to a DNAT target is what xnet does by "
                            + "itself for a container that reaches another's public address; not imported");
                } else {
                    refuse(rule.rule(), "POSTROUTING: xnet has static NAT towards containers (DNAT) only");
                }
            }
        }
        for (String chain : List.of("INPUT", "OUTPUT")) {
            IptablesSave.Chain other = table.chains().get(chain);
            if (other != null) {
                other.rules().forEach(r -> refuse(r, "nat " + chain + ": xnet translates traffic entering its "
                        + "attach points only"));
            }
        }
    }

    private void nat(ParsedRule rule, List<NatRule> out) {
        if (!"DNAT".equals(rule.target())) {
            refuse(rule.rule(), "PREROUTING " + (rule.target() == null ? "rule without a target" : rule.target())
                    + ": xnet imports DNAT");
            return;
        }
        if (rule.from() != null || rule.states() != null) {
            refuse(rule.rule(), "DNAT for some clients only: xnet's static NAT applies to every client");
            return;
        }
        if (rule.to() == null || rule.to().prefix() != 32) {
            refuse(rule.rule(), "DNAT needs one public address (-d A.B.C.D/32)");
            return;
        }
        String destination = rule.targetOptions().getOrDefault("--to-destination", "");
        String[] parts = destination.split(":", -1);
        Ipv4 privateIp;
        try {
            privateIp = Ipv4.parse(parts[0]);
        } catch (IllegalArgumentException bad) {
            refuse(rule.rule(), "DNAT to '" + destination + "': one address, with or without a port, is what xnet has");
            return;
        }
        boolean whole = rule.proto() == Proto.ANY && rule.ports().isEmpty() && parts.length == 1;
        int publicPort = 0;
        int privatePort = 0;
        if (!whole) {
            if (!rule.proto().hasPorts() || rule.ports().size() != 1 || rule.ports().get(0).from() != rule.ports().get(0).to()) {
                refuse(rule.rule(), "DNAT of a protocol or port range: xnet translates one tcp or udp port, or the "
                        + "whole address");
                return;
            }
            publicPort = rule.ports().get(0).from();
            try {
                privatePort = parts.length == 2 ? Integer.parseInt(parts[1]) : publicPort;
            } catch (NumberFormatException range) {
                refuse(rule.rule(), "DNAT to the ports '" + parts[1] + "': xnet translates to one port");
                return;
            }
        }
        NatRule shape = new NatRule(0, rule.to().network(), publicPort, privateIp, privatePort,
                whole ? Proto.ANY : rule.proto());
        int id = candidate.nats().stream().filter(n -> n.text().equals(shape.text())).map(NatRule::id).findFirst()
                .orElseGet(() -> nextNatId++);
        nextNatId = Math.max(nextNatId, id + 1);
        out.add(new NatRule(id, shape.publicIp(), shape.publicPort(), shape.privateIp(), shape.privatePort(),
                shape.proto()));
    }

    /**
     * The chain's rules with each jump to a user chain replaced by that chain's rules, up to an
     * unconditional RETURN; a jump's conditions go into every rule of the chain it jumps to (see
     * {@link ParsedRule#within}). A RETURN with a condition inside a chain jumped to would need a
     * negation, and is refused; so are loops. A RETURN in the built-in chain itself is kept: it
     * is the policy.
     */
    private List<ParsedRule> flatten(IptablesSave.Table table, IptablesSave.Chain chain, int depth) {
        return flatten(table, chain, depth, null);
    }

    private List<ParsedRule> flatten(IptablesSave.Table table, IptablesSave.Chain chain, int depth, ParsedRule via) {
        List<ParsedRule> out = new ArrayList<>();
        for (IptablesSave.Rule line : chain.rules()) {
            ParsedRule own;
            try {
                own = ParsedRule.parse(line);
            } catch (ParsedRule.Untranslatable why) {
                refuse(line, why.getMessage());
                continue;
            }
            if ("RETURN".equals(own.target()) && depth > 0) {
                if (own.unconditional()) {
                    break; // the rest of this chain is never reached
                }
                refuse(line, "a RETURN with a condition inside " + chain.name() + " (xnet's rules have no negation)");
                continue;
            }
            java.util.Optional<ParsedRule> reached = via == null ? java.util.Optional.of(own) : own.within(via);
            if (reached.isEmpty()) {
                notes.add("line " + line.line() + ": no packet that the jump at line " + via.rule().line()
                        + " sends here can match it; not imported");
                continue;
            }
            ParsedRule rule = reached.get();
            IptablesSave.Chain jumped = rule.target() == null ? null : table.chains().get(rule.target());
            if (jumped != null && jumped.policy() == null) {
                if (depth >= MAX_DEPTH) {
                    refuse(line, "jumps nested deeper than " + MAX_DEPTH + " (a loop?)");
                } else {
                    out.addAll(flatten(table, jumped, depth + 1, rule.unconditional() ? null : rule));
                }
                continue;
            }
            out.add(rule);
        }
        return out;
    }

    private static FilterRule.Action policy(IptablesSave.Chain chain) {
        return "DROP".equals(chain.policy()) ? FilterRule.Action.DROP : FilterRule.Action.ALLOW;
    }

    private void refuse(IptablesSave.Rule rule, String why) {
        untranslated.add(new Untranslated(rule.line(), rule.text(), why));
    }
}
