package xnet.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import xnet.kernel.ProcessRunner;

/** What a benchmark ran on: date, machine, kernel, CPUs, BPF JIT, XDP mode, tool versions. */
final class Environment {

    private Environment() {
    }

    static Map<String, String> facts() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        facts.put("host", first(List.of("hostname")));
        facts.put("kernel", first(List.of("uname", "-r")));
        facts.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        facts.put("cpu model", read("/proc/cpuinfo").lines().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?"));
        facts.put("bpf jit", read("/proc/sys/net/core/bpf_jit_enable").trim().equals("1") ? "on" : "off");
        facts.put("xdp mode", "generic (xnet's default on veth; see the README)");
        facts.put("java", System.getProperty("java.version"));
        facts.put("iperf3", first(List.of("iperf3", "--version")));
        facts.put("iptables", first(List.of("iptables", "--version")));
        facts.put("nft", first(List.of("nft", "--version")));
        facts.put("clang", first(List.of("clang-16", "--version")));
        facts.put("netpipe-tcp", first(List.of("dpkg-query", "-W", "-f=${Version}", "netpipe-tcp")));
        facts.put("sockperf", first(List.of("dpkg-query", "-W", "-f=${Version}", "sockperf")));
        facts.put("trafgen", first(List.of("dpkg-query", "-W", "-f=${Version}", "netsniff-ng")));
        facts.put("traffic", "iperf3, NPtcp and sockperf between containers (both latency ends on CPU 0); 64-byte floods"
                + " from trafgen (one process, random source addresses and ports)");
        return facts;
    }

    private static String first(List<String> command) {
        try {
            ProcessRunner.Result result = ProcessRunner.capture(command);
            String text = result.out().isBlank() ? result.err() : result.out();
            return text.lines().findFirst().orElse("?").trim();
        } catch (RuntimeException e) {
            return "? (" + e.getMessage() + ")";
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (Exception e) {
            return "";
        }
    }
}
