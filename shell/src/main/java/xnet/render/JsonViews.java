package xnet.render;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import xnet.diff.Change;
import xnet.diff.ChangeSet;
import xnet.model.Bridge;
import xnet.model.Config;
import xnet.model.Container;
import xnet.model.Datapath;
import xnet.model.FilterRule;
import xnet.model.NatRule;
import xnet.model.Tunnel;
import xnet.plan.KernelAction;
import xnet.session.CommitRecord;
import xnet.session.CounterSnapshot;
import xnet.session.LabStatus;
import xnet.session.PreviewReport;

/**
 * The one style of xnet's `--json` output, written down in docs/json.md and checked against the
 * schemas in docs/json/: enum values in lower case as they are typed, ids as numbers, the same
 * key for the same thing in every command (a rule is always {@link #filterRule}, the default
 * action always "default", a hook always "hook", an attach point always "point"), and one JSON
 * type per key (JsonStyleTest holds the schema to it), every moment a {@link #time} under "time",
 * absent values left out rather than null, and nothing internal (counter slots, interface
 * indexes, id counters). The state files keep their own shapes: these views are for people and
 * scripts.
 */
public final class JsonViews {

    private JsonViews() {
    }

    private static final java.time.format.DateTimeFormatter TIME = java.time.format.DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    /**
     * A moment, in the one form every output uses: RFC 3339 in UTC with milliseconds
     * ("2026-12-08T03:20:37.123Z"), whether it was kept to the second (a commit) or the
     * nanosecond (an event).
     */
    public static String time(java.time.Instant at) {
        return TIME.format(at);
    }

    /** The same for a moment kept as ISO-8601 text (commit records, a pending confirmation's deadline). */
    public static String time(String iso) {
        return iso == null ? null : time(java.time.Instant.parse(iso));
    }

    /** An enum value as the user types it. */
    public static String word(Enum<?> value) {
        return value == null ? null : value.name().toLowerCase(Locale.ROOT);
    }

    public static Map<String, Object> bridge(Bridge b) {
        Map<String, Object> out = object();
        out.put("name", b.name());
        out.put("subnet", b.subnet().toString());
        out.put("gateway", b.gateway().toString());
        put(out, "subnet6", b.subnet6());
        put(out, "gateway6", b.gateway6());
        return out;
    }

    public static Map<String, Object> container(Container c) {
        Map<String, Object> out = object();
        out.put("name", c.name());
        out.put("bridge", c.bridge());
        out.put("ip", c.ip().toString());
        put(out, "ip6", c.ip6());
        if (c.foreign() != null) {
            Map<String, Object> attached = object();
            put(attached, "netns", c.foreign().netns());
            put(attached, "pid", c.foreign().pid());
            put(attached, "ifname", c.foreign().ifname());
            put(attached, "cniId", c.foreign().cniId());
            out.put("attached", attached);
        }
        return out;
    }

    public static Map<String, Object> tunnel(Tunnel t) {
        Map<String, Object> out = object();
        out.put("name", t.name());
        out.put("vni", t.vni());
        out.put("remote", t.remote().toString());
        put(out, "local", t.local() == null ? null : t.local().toString());
        put(out, "underlayDevice", t.dev());
        out.put("port", t.port());
        out.put("bridge", t.bridge());
        out.put("device", t.device());
        return out;
    }

    public static Map<String, Object> filterRule(FilterRule r) {
        Map<String, Object> out = object();
        out.put("id", r.id());
        out.put("action", word(r.action()));
        put(out, "from", r.from() != null ? r.from().toString() : r.from6() != null ? r.from6().toString() : null);
        put(out, "to", r.to() != null ? r.to().toString() : r.to6() != null ? r.to6().toString() : null);
        put(out, "proto", r.proto() == xnet.model.Proto.ANY ? null : word(r.proto()));
        put(out, "ports", r.port() == null ? null : r.port().toString()); // "80" or "80-90": a "port" is one number
        put(out, "state", r.states() == null ? null : List.of(r.states().toString().split(",")));
        put(out, "log", r.log() ? Boolean.TRUE : null);
        out.put("text", r.text());
        return out;
    }

    public static Map<String, Object> natRule(NatRule r) {
        Map<String, Object> out = object();
        out.put("id", r.id());
        out.put("public", endpoint(r.publicIp().toString(), r.publicPort()));
        out.put("private", endpoint(r.privateIp().toString(), r.privatePort()));
        if (!r.wholeAddress()) {
            out.put("proto", word(r.proto()));
        }
        out.put("text", r.text());
        return out;
    }

    private static Map<String, Object> endpoint(String ip, int port) {
        Map<String, Object> out = object();
        out.put("ip", ip);
        if (port != 0) {
            out.put("port", port);
        }
        return out;
    }

    /** `filter list`: the rules in order, then what meets packets no rule matches. */
    public static Map<String, Object> filter(Config c) {
        Map<String, Object> out = object();
        out.put("default", word(c.defaultAction()));
        out.put("rules", c.filters().stream().map(JsonViews::filterRule).toList());
        return out;
    }

    public static Map<String, Object> datapath(Datapath d) {
        Map<String, Object> out = object();
        out.put("hook", word(d.hook()));
        out.put("xdpMode", word(d.xdpMode()));
        out.put("strategy", word(d.strategy()));
        Map<String, Object> points = new java.util.TreeMap<>();
        d.perInterface().forEach((point, hook) -> points.put(point, word(hook)));
        out.put("perInterface", points);
        out.put("fastpath", d.fastpath());
        return out;
    }

    /** `show candidate`, and the config of `show running`. */
    public static Map<String, Object> config(Config c) {
        Map<String, Object> out = object();
        out.put("bridges", c.bridges().values().stream().map(JsonViews::bridge).toList());
        out.put("containers", c.containers().values().stream().map(JsonViews::container).toList());
        out.put("tunnels", c.tunnels().values().stream().map(JsonViews::tunnel).toList());
        out.put("filter", filter(c));
        out.put("nat", c.nats().stream().map(JsonViews::natRule).toList());
        out.put("datapath", datapath(c.datapath()));
        return out;
    }

    public static Map<String, Object> running(int commit, Config c) {
        Map<String, Object> out = object();
        out.put("commit", commit);
        out.put("config", config(c));
        return out;
    }

    /** `show candidate`: the config as `show running` wraps it, with the commit this session's edits started from. */
    public static Map<String, Object> candidate(int basedOn, Config c) {
        Map<String, Object> out = object();
        out.put("basedOn", basedOn);
        out.put("config", config(c));
        return out;
    }

    /** `compare`: each object that differs, with its before and after as the show commands render them. */
    public static Map<String, Object> changes(ChangeSet set) {
        List<Map<String, Object>> changes = new ArrayList<>();
        addChanges(changes, "bridge", set.bridges(), JsonViews::bridge);
        addChanges(changes, "container", set.containers(), JsonViews::container);
        addChanges(changes, "tunnel", set.tunnels(), JsonViews::tunnel);
        addChanges(changes, "filter", set.filters(), JsonViews::filterRule);
        addChanges(changes, "nat", set.nats(), JsonViews::natRule);
        addChanges(changes, "setting", set.settings(), s -> s);
        Map<String, Object> out = object();
        out.put("summary", summary(set.summary()));
        out.put("changes", changes);
        return out;
    }

    private static <T> void addChanges(List<Map<String, Object>> out, String object, List<Change<T>> changes,
                                       Function<T, Object> view) {
        for (Change<T> c : changes) {
            Map<String, Object> change = object();
            change.put("object", object);
            if (object.equals("filter") || object.equals("nat")) {
                change.put("id", Integer.parseInt(c.name())); // ids as numbers, as everywhere
            } else {
                change.put("name", c.name());
            }
            change.put("change", word(c.kind()));
            put(change, "before", c.before() == null ? null : view.apply(c.before()));
            put(change, "after", c.after() == null ? null : view.apply(c.after()));
            out.add(change);
        }
    }

    private static final Pattern SUMMARY = Pattern.compile("\\+(\\d+) ~(\\d+) -(\\d+)");

    /** "+5 ~0 -1", the summary a commit record keeps, as numbers. */
    public static Map<String, Object> summary(String text) {
        Matcher m = SUMMARY.matcher(text == null ? "" : text);
        Map<String, Object> out = object();
        boolean known = m.find();
        out.put("added", known ? Integer.parseInt(m.group(1)) : 0);
        out.put("changed", known ? Integer.parseInt(m.group(2)) : 0);
        out.put("removed", known ? Integer.parseInt(m.group(3)) : 0);
        return out;
    }

    public static Map<String, Object> commit(CommitRecord r) {
        Map<String, Object> out = object();
        out.put("commit", r.number());
        out.put("time", time(r.at()));
        out.put("user", r.user());
        out.put("comment", r.comment() == null ? "" : r.comment());
        out.put("summary", summary(r.summary()));
        return out;
    }

    /** `show commit pending --json`: {"pending": false}, or the commit awaiting confirmation. */
    public static Map<String, Object> pending(java.util.Optional<xnet.session.PendingConfirm> pending,
                                              java.time.Instant now) {
        Map<String, Object> out = object();
        out.put("pending", pending.isPresent());
        pending.ifPresent(p -> {
            out.put("commit", p.commit());
            out.put("rollbackTo", p.rollbackTo());
            out.put("deadline", time(p.deadline()));
            out.put("secondsLeft", p.remaining(now).toSeconds());
            out.put("user", p.user());
            out.put("comment", p.comment() == null ? "" : p.comment());
        });
        return out;
    }

    /** `test packet --json`. */
    /** One event of `monitor --json`, a line of its own. */
    public static Map<String, Object> event(xnet.session.DatapathEvent e) {
        Map<String, Object> out = object();
        out.put("time", time(e.time()));
        out.put("kind", e.kind().toString());
        out.put("point", e.point());
        put(out, "rule", e.rule());
        out.put("proto", e.protoName());
        out.put("src", e.source());
        put(out, "sport", e.showsPorts() ? e.sport() : null);
        out.put("dst", e.destination());
        put(out, "dport", e.showsPorts() ? e.dport() : null);
        put(out, "echoId", e.echoId());
        put(out, "translatedTo", e.translatedTo() == null ? null
                : xnet.session.DatapathEvent.endpoint(e.translatedTo(), e.translatedPort()));
        out.put("length", e.length());
        put(out, "tcpFlags", e.tcpFlagNames().isEmpty() ? null : e.tcpFlagNames());
        return out;
    }

    public static Map<String, Object> whatIf(xnet.datapath.WhatIf w) {
        Map<String, Object> out = object();
        out.put("point", w.point());
        out.put("hook", w.hook());
        out.put("program", w.programId());
        out.put("candidate", w.candidate());
        out.put("verdict", w.verdict());
        put(out, "rule", w.rule());
        out.put("decidedBy", w.rule() == null ? "default" : "rule");
        put(out, "rewrite", w.rewrite());
        put(out, "natRule", w.nat());
        put(out, "natWay", w.natWay());
        put(out, "connectionState", w.connectionState());
        out.put("counters", w.counters());
        return out;
    }

    public static Map<String, Object> step(KernelAction a) {
        Map<String, Object> out = object();
        out.put("what", a.what());
        out.put("command", a.command());
        out.put("undo", a.undo());
        return out;
    }

    public static Map<String, Object> ruleset(xnet.session.RulesetCheck check) {
        Map<String, Object> out = object();
        out.put("kind", check.kind());
        out.put("script", check.script());
        out.put("checked", check.checked());
        out.put("ok", check.passed());
        out.put("verdict", check.verdict());
        return out;
    }

    public static Map<String, Object> preview(PreviewReport report) {
        Map<String, Object> out = object();
        out.put("strategy", report.strategy());
        out.put("reason", report.reason());
        out.put("attachPoints", report.attachPoints());
        Map<String, Object> maps = object();
        maps.put("ruleEntries", report.ruleEntries());
        maps.put("tuples", report.tuples());
        maps.put("natEntries", report.natEntries());
        maps.put("bytes", report.mapBytes());
        out.put("maps", maps);
        out.put("header", report.header());
        out.put("verified", report.allVerified());
        out.put("programs", report.programs().stream().map(JsonViews::program).toList());
        return out;
    }

    private static Map<String, Object> program(PreviewReport.Program p) {
        Map<String, Object> out = object();
        out.put("hook", p.hook());
        out.put("file", p.file());
        out.put("verified", p.verified());
        out.put("verdict", p.verdict());
        out.put("instructions", p.verifiedInstructions());
        out.put("translatedBytes", p.translatedBytes());
        out.put("jitedBytes", p.jitedBytes());
        return out;
    }

    /**
     * `show counters`: the rules by id, the packets no rule matched apart ("unmatched", with the
     * default action), and each attach point. {@code time} is set on the lines of `--watch`.
     */
    public static Map<String, Object> counters(List<CounterRows.Row> rows, CounterSnapshot snapshot,
                                               java.time.Instant time) {
        Map<String, Object> out = object();
        put(out, "time", time == null ? null : time(time));
        List<Map<String, Object>> rules = new ArrayList<>();
        for (CounterRows.Row r : rows) {
            Map<String, Object> rule = object();
            if (r.isDefault()) {
                rule.put("action", r.text());
            } else {
                rule.put("id", Integer.parseInt(r.rule()));
                rule.put("text", r.text());
            }
            rule.put("packets", r.packets());
            rule.put("bytes", r.bytes());
            put(rule, "packetsPerSecond", r.packetsPerSecond());
            put(rule, "bytesPerSecond", r.bytesPerSecond());
            if (r.isDefault()) {
                out.put("unmatched", rule); // "default" is the action's word everywhere; this is its counter
            } else {
                rules.add(rule);
            }
        }
        out.put("rules", rules);
        out.put("nat", snapshot.nats().stream().map(n -> {
            Map<String, Object> nat = object();
            nat.put("id", n.id());
            nat.put("text", n.text());
            nat.put("toPrivate", n.toPrivate());
            nat.put("toPublic", n.toPublic());
            return nat;
        }).toList());
        out.put("points", snapshot.attachPoints().stream().map(p -> {
            Map<String, Object> point = object();
            point.put("point", p.attachPoint());
            point.put("passed", p.passed());
            point.put("dropped", p.dropped());
            point.put("translated", p.translated());
            point.put("arp", p.arp());
            point.put("fastPath", p.fast());
            return point;
        }).toList());
        return out;
    }

    public static Map<String, Object> link(LabStatus.Link l) {
        Map<String, Object> out = object();
        out.put("ifname", l.ifname());
        out.put("operstate", l.operstate());
        put(out, "master", l.master());
        out.put("addresses", l.addresses());
        return out;
    }

    public static Map<String, Object> namespace(LabStatus.NamespaceState ns) {
        Map<String, Object> out = object();
        out.put("namespace", ns.namespace());
        out.put("role", ns.role());
        out.put("present", ns.present());
        out.put("links", ns.links().stream().map(JsonViews::link).toList());
        return out;
    }

    private static Map<String, Object> object() {
        return new LinkedHashMap<>();
    }

    private static void put(Map<String, Object> out, String key, Object value) {
        if (value != null) {
            out.put(key, value);
        }
    }
}
