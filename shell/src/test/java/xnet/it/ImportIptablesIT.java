package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import xnet.plan.TargetLayout;

/**
 * `import iptables` against iptables itself: a stateful ruleset (policy drop, ESTABLISHED and
 * RELATED allowed, NEW allowed from some sources) is loaded with iptables-restore into the lab's
 * host namespace (xnet's programs there hold no rules), probe flows record what iptables let
 * through, the rules are saved with iptables-save and removed from the kernel's tables, the
 * saved file is imported into xnet through standard input and committed, and the same probes
 * must meet the same verdicts, in tc and then in xdp. The file is iptables-save's own output,
 * not text written to suit the importer.
 */
class ImportIptablesIT extends LabTest {

    private static final String CLIENT = "10.0.1.2";
    private static final String SERVER = "10.0.2.2";
    private static final String WEB = "10.0.2.3";

    @Override
    protected String lab() {
        return "itimp";
    }

    @Test
    void importedRulesGiveTheVerdictsIptablesGave() throws Exception {
        TargetLayout layout = TargetLayout.lab(lab());
        String outside = layout.outsideAddress().toString();
        String publicIp = layout.uplinkAddress().toString();
        assertThat(xnet.f("profiles/single-host.xnet").status()).isZero();
        assertThat(xnet.c("container add web --bridge br2 --ip " + WEB + "; commit").status()).isZero();
        String host = layout.hostNamespace();
        Path rules = xnet.home.resolve("rules.v4");
        // stateful, as iptables rulesets are: FORWARD drops what it does not allow, and the
        // replies of what it allows pass as ESTABLISHED (and their ICMP errors as RELATED)
        Files.writeString(rules, String.join("\n",
                "*filter",
                ":INPUT ACCEPT [0:0]",
                ":FORWARD DROP [0:0]",
                ":OUTPUT ACCEPT [0:0]",
                ":web - [0:0]",
                "-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                "-A FORWARD -d " + WEB + "/32 -p tcp --dport 80 -j web",
                "-A FORWARD -s 10.0.1.0/24 -p icmp -j LOG --log-prefix \"icmp: \"",
                "-A FORWARD -s 10.0.1.0/24 -p icmp -j DROP",
                "-A FORWARD -s 10.0.1.0/24 -m conntrack --ctstate NEW -j ACCEPT",
                "-A FORWARD -s " + outside + "/32 -p icmp -m state --state NEW -j ACCEPT",
                "-A web -s " + outside + "/32 -j ACCEPT",
                "-A web -j REJECT",
                "COMMIT",
                "*nat",
                ":PREROUTING ACCEPT [0:0]",
                ":INPUT ACCEPT [0:0]",
                ":OUTPUT ACCEPT [0:0]",
                ":POSTROUTING ACCEPT [0:0]",
                "-A PREROUTING -d " + publicIp + "/32 -p tcp --dport 8080 -j DNAT --to-destination " + WEB + ":80",
                "COMMIT", ""));
        List<Process> servers = new java.util.ArrayList<>();
        try {
            Path www = Files.createDirectories(xnet.home.resolve("www"));
            Files.writeString(www.resolve("index.html"), "hello\n");
            for (String container : List.of("web", "server", "client")) {
                servers.add(new ProcessBuilder("ip", "netns", "exec", "xnet.itimp.c." + container, "busybox", "httpd",
                        "-f", "-p", "80", "-h", www.toString()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
                SingleHostLabIT.waitForListener("xnet.itimp.c." + container, 80);
            }
            Map<String, List<String>> probes = new LinkedHashMap<>();
            probes.put("outside to web:80", get("xnet.itimp.outside", WEB + ":80"));
            probes.put("outside to the public address:8080 (DNAT to web:80)", get("xnet.itimp.outside", publicIp + ":8080"));
            probes.put("client to web:80", get("xnet.itimp.c.client", WEB + ":80"));
            probes.put("client to server:80", get("xnet.itimp.c.client", SERVER + ":80"));
            probes.put("server to client:80 (no connection from the client)", get("xnet.itimp.c.server", CLIENT + ":80"));
            probes.put("client pings server", ping("xnet.itimp.c.client", SERVER));
            probes.put("server pings client", ping("xnet.itimp.c.server", CLIENT));
            probes.put("outside pings server", ping("xnet.itimp.outside", SERVER));

            assertThat(Kernel.status("sh", "-c", "ip netns exec " + host + " iptables-restore < " + rules)).isZero();
            Map<String, Boolean> byIptables = run(probes);
            Path saved = xnet.home.resolve("saved.v4");
            Files.writeString(saved, Kernel.sh("ip", "netns", "exec", host, "iptables-save"));
            assertThat(Kernel.status("ip", "netns", "exec", host, "iptables", "-F")).isZero();
            assertThat(Kernel.status("ip", "netns", "exec", host, "iptables", "-X")).isZero();
            assertThat(Kernel.status("ip", "netns", "exec", host, "iptables", "-P", "FORWARD", "ACCEPT")).isZero();
            assertThat(Kernel.status("ip", "netns", "exec", host, "iptables", "-t", "nat", "-F")).isZero();
            // what iptables decided is what the test meant it to: some flows pass, some do not
            assertThat(byIptables).containsExactly(Map.entry("outside to web:80", true),
                    Map.entry("outside to the public address:8080 (DNAT to web:80)", true),
                    Map.entry("client to web:80", false), Map.entry("client to server:80", true),
                    Map.entry("server to client:80 (no connection from the client)", false),
                    Map.entry("client pings server", false), Map.entry("server pings client", false),
                    Map.entry("outside pings server", true));

            // as `iptables-save | xnet -c "import iptables -"` runs: the launcher's C client sends its stdin to xnetd
            Xnet.Result imported = xnet.exec(List.of(Xnet.ROOT.resolve("shell/target/xnet-client").toString(), "--lab",
                    lab(), "-c", "import iptables -; commit"), Map.of(), Files.readString(saved));
            assertThat(imported.status()).as(imported.all()).isZero();
            assertThat(imported.out()).contains("read standard input: ");
            assertThat(imported.all()).contains("6 filter rule(s), default drop, 1 NAT rule(s)",
                    "REJECT imported as drop");
            assertThat(xnet.c("filter list").out()).contains("allow state established,related",
                    "allow from " + outside + "/32 to " + WEB + "/32 proto tcp port 80",
                    "drop to " + WEB + "/32 proto tcp port 80", "drop log from 10.0.1.0/24 proto icmp",
                    "allow from 10.0.1.0/24 state new", "allow from " + outside + "/32 proto icmp state new");
            assertThat(run(probes)).as("the same verdicts under xnet (tc)").isEqualTo(byIptables);
            Xnet.Result xdp = xnet.c("datapath xdp; commit");
            assertThat(xdp.status()).as(xdp.all()).isZero();
            assertThat(run(probes)).as("the same verdicts under xnet (xdp)").isEqualTo(byIptables);

            // where standard input is the script itself, "-" is refused, and the candidate is left alone
            Xnet.Result refused = xnet.run(Map.of(), "import iptables -\n", "--lab", lab(), "-f", "-");
            assertThat(refused.status()).isNotZero();
            assertThat(refused.err()).contains("import iptables -: standard input is the script (-f -)");
        } finally {
            Kernel.stop(servers);
        }
    }

    /** Each probe's command, run; true where it got through. */
    private static Map<String, Boolean> run(Map<String, List<String>> probes) throws Exception {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> probe : probes.entrySet()) {
            Process p = new ProcessBuilder(probe.getValue()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                out.put(probe.getKey(), false);
            } else {
                out.put(probe.getKey(), p.exitValue() == 0);
            }
        }
        return out;
    }

    private static List<String> get(String ns, String address) {
        return List.of("ip", "netns", "exec", ns, "curl", "-s", "-f", "-o", "/dev/null", "-m", "2", "http://" + address + "/");
    }

    private static List<String> ping(String ns, String address) {
        return List.of("ip", "netns", "exec", ns, "ping", "-c", "1", "-W", "1", address);
    }
}
