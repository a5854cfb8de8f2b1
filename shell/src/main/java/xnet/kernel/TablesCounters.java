package xnet.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import xnet.model.Datapath;
import xnet.plan.TargetLayout;

/**
 * Per-rule counters of the iptables and nftables datapaths, read from the kernel's tables. Every
 * rendered rule carries the comment "xnet ID" (or "xnet default"), which ties a counter to its rule.
 */
public final class TablesCounters {

    private static final Pattern IPTABLES_LINE = Pattern.compile("^\\s*(\\d+)\\s+(\\d+)\\s.*/\\* (xnet [^*]+) \\*/");

    private TablesCounters() {
    }

    /** Comment ("xnet 3", "xnet default") to {packets, bytes}. */
    public static Map<String, long[]> read(TargetLayout layout, Datapath.Hook hook) {
        Map<String, long[]> counts = new HashMap<>();
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", layout.hostNamespace()));
        if (hook == Datapath.Hook.NFTABLES) {
            argv.addAll(List.of("nft", "-j", "list", "chain", "inet", "xnet", "rules"));
            try {
                for (JsonNode item : new ObjectMapper().readTree(ProcessRunner.run(argv)).path("nftables")) {
                    JsonNode rule = item.path("rule");
                    if (rule.isMissingNode()) {
                        continue;
                    }
                    for (JsonNode expr : rule.path("expr")) {
                        if (expr.has("counter")) {
                            counts.put(rule.path("comment").asText(), new long[] {
                                expr.path("counter").path("packets").asLong(), expr.path("counter").path("bytes").asLong()});
                        }
                    }
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("read nft counters: " + e.getMessage(), e);
            }
        } else {
            // a rule for both families is in both tools' chains: its counts are the sums
            for (String tool : List.of("iptables", "ip6tables")) {
                List<String> command = new ArrayList<>(argv);
                command.addAll(List.of(tool, "-L", "XNET", "-v", "-x", "-n"));
                for (String line : ProcessRunner.run(command).lines().toList()) {
                    Matcher m = IPTABLES_LINE.matcher(line);
                    if (m.find()) {
                        long[] c = counts.computeIfAbsent(m.group(3).trim(), k -> new long[2]);
                        c[0] += Long.parseLong(m.group(1));
                        c[1] += Long.parseLong(m.group(2));
                    }
                }
            }
        }
        return counts;
    }
}
