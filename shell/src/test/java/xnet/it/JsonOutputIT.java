package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import org.junit.jupiter.api.Test;

import xnet.shell.ShellAssembly;

/**
 * Every command that takes `--json` prints what docs/json/xnet.schema.json says, on a lab with
 * every kind of object (a tunnel in the candidate only): the schema names each command, and a
 * command with `--json` in `help` but not in the schema fails this test. Also: an empty result
 * is empty JSON (`show counters --json` before any rule), and `show counters --watch --json`
 * prints one object per line, each with its time.
 */
class JsonOutputIT extends LabTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every moment's one form: RFC 3339, UTC, milliseconds. */
    private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";
    /** What the commands that need more than --json are given. */
    private static final Map<String, String> ARGUMENTS = Map.of("show ruleset", " nftables", "show commit", " 1",
            "compare", " 1", "test packet", " from 10.0.0.2:40000 to 10.0.0.1:80");

    @Override
    protected String lab() {
        return "itjson";
    }

    @Test
    void everyCommandsJsonFollowsTheWrittenSchema() throws Exception {
        JsonNode schema = JSON.readTree(Xnet.ROOT.resolve("docs/json/xnet.schema.json").toFile());
        Map<String, String> commands = JSON.convertValue(schema.get("commands"),
                JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class));
        assertThat(commands.keySet()).as("every command with --json has its definition").isEqualTo(jsonCommands());

        Xnet.Result empty = xnet.c("show counters --json");
        assertThat(empty.status()).as(empty.all()).isZero();
        valid(schema, "counters", empty.out(), "show counters before any commit");
        assertThat(JSON.readTree(empty.out()).get("rules")).isEmpty();

        Xnet.Result setUp = xnet.c("bridge add br1 10.0.1.0/24; container add web --bridge br1; container add db --bridge br1; "
                + "filter add drop from 172.16.0.0/12 proto tcp port 80-90; filter add allow to 10.0.1.3; "
                + "nat add 10.0.0.1:80 -> 10.0.1.2:8080; nat add 10.0.0.5 -> 10.0.1.3; commit comment first; "
                + "exec outside -- ping -c 2 -W 1 10.0.0.1");
        assertThat(setUp.status()).as(setUp.all()).isZero();
        String edits = "tunnel add t1 --vni 42 --remote 192.168.50.2 --bridge br1; container del db; filter default drop; "
                + "datapath xdp on web; ";
        int checked = 0;
        for (Map.Entry<String, String> command : commands.entrySet()) {
            if (STREAMING.contains(command.getKey())) {
                checked++; // they run until stopped: MonitorIT checks each line they print against the schema
                continue;
            }
            String line = command.getKey() + ARGUMENTS.getOrDefault(command.getKey(), "") + " --json";
            Xnet.Result result = xnet.c(edits + line);
            assertThat(result.status()).as(line + ": " + result.all()).isZero();
            valid(schema, command.getValue(), json(result.out()), line);
            checked++;
        }
        assertThat(checked).isEqualTo(commands.size());

        // under nftables, preview and commit check show the script and nft's own check, not a program
        Xnet.Result nft = xnet.c("datapath nftables; preview --json");
        assertThat(nft.status()).as(nft.all()).isZero();
        valid(schema, "previewOrRuleset", json(nft.out()), "preview under nftables");
        JsonNode ruleset = JSON.readTree(json(nft.out()));
        assertThat(ruleset.get("ok").asBoolean()).as(nft.out()).isTrue();
        assertThat(ruleset.get("script").asText()).contains("table ip xnet", "comment \"xnet 1\"");
        Xnet.Result nftCheck = xnet.c("datapath nftables; commit check --json");
        valid(schema, "commitCheck", json(nftCheck.out()), "commit check under nftables");
        assertThat(JSON.readTree(json(nftCheck.out())).get("datapathSteps").toString()).contains("nftables: load");
        // a rule change lists its datapath steps, not "0 kernel steps": new programs swapped link by link
        // under the inline strategy, and under the map strategy an update of the idle rule set
        Xnet.Result inline = xnet.c("filter add drop from 10.7.0.0/16; commit check");
        assertThat(inline.status()).as(inline.all()).isZero();
        assertThat(inline.out()).contains("programs: load", "link: swap the program of v-web+tc (atomic)");
        assertThat(xnet.c("datapath strategy map; commit").status()).isZero();
        Xnet.Result inPlace = xnet.c("filter add drop from 10.7.0.0/16; commit check");
        assertThat(inPlace.out()).contains("rule maps: 1 rule(s) added, 0 removed").doesNotContain("link:");

        Xnet.Result counters = xnet.c("show counters --json");
        JsonNode rules = JSON.readTree(counters.out()).get("rules");
        assertThat(rules.get(0).get("id").isInt()).as("ids are numbers").isTrue();
        assertThat(JSON.readTree(counters.out()).get("unmatched").get("packets").asLong()).isPositive();
        // one form per thing: a rule's id in compare is a number, a commit's time is the events' form
        JsonNode compare = JSON.readTree(json(xnet.c("filter del 1; compare --json").out()));
        assertThat(compare.path("changes").get(0).path("id").isInt()).as(compare.toString()).isTrue();
        JsonNode history = JSON.readTree(xnet.c("history --json").out());
        assertThat(history.get(0).path("time").asText()).as(history.toString()).matches(TIME);
        JsonNode candidate = JSON.readTree(json(xnet.c("show candidate --json").out()));
        assertThat(candidate.path("config").path("filter").path("default").asText()).as("the default action's word")
                .isEqualTo("allow");

        // the launcher's own JSON: daemon status, with xnetd and without
        Xnet.Result status = xnet.exec(List.of("java", "-jar", Xnet.JAR.toString(), "--lab", lab(), "daemon", "status",
                "--json"), Map.of(), null);
        assertThat(status.status()).as(status.all()).isZero();
        valid(schema, "daemonStatus", status.out(), "daemon status --json");
        assertThat(JSON.readTree(status.out()).path("started").asText()).matches(TIME);
        Xnet.Result none = xnet.exec(List.of("java", "-jar", Xnet.JAR.toString(), "--lab", "itjsonnone", "daemon",
                "status", "--json"), Map.of(), null);
        assertThat(none.status()).as("no daemon: " + none.all()).isEqualTo(3);
        valid(schema, "daemonStatus", none.out(), "daemon status --json without a daemon");

        Xnet.Result watch = xnet.exec(List.of("sh", "-c", "java -jar " + Xnet.JAR
                + " --lab itjson -c 'show counters --watch --json' | head -2"), Map.of(), null);
        List<String> lines = watch.out().lines().toList();
        assertThat(lines).as(watch.all()).hasSize(2);
        for (String l : lines) {
            valid(schema, "counters", l, "a line of --watch --json");
            assertThat(JSON.readTree(l).get("time").asText()).matches(TIME);
        }
    }

    /** The JSON at the end of the output of a line whose edits printed their own messages first. */
    private static String json(String out) {
        List<String> lines = out.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("{") || lines.get(i).startsWith("[")) {
                return String.join("\n", lines.subList(i, lines.size()));
            }
        }
        return out;
    }

    /** The commands whose usage in `help` takes --json. */
    private Set<String> jsonCommands() throws Exception {
        Set<String> out = new TreeSet<>();
        for (String line : xnet.c("help").out().lines().toList()) {
            String usage = line.strip();
            if (usage.contains("[--json]")) {
                // the command is the longest command name the usage begins with ("test packet from
                // FROM ..." is `test packet`: "from" is a keyword of its syntax)
                ShellAssembly.grammar().specs().stream().map(s -> s.name())
                        .filter(name -> usage.equals(name) || usage.startsWith(name + " "))
                        .max(java.util.Comparator.comparingInt(String::length)).ifPresent(out::add);
            }
        }
        return out;
    }

    /** Commands that print until Ctrl-C. */
    private static final Set<String> STREAMING = Set.of("monitor drops", "monitor nat");

    static void valid(JsonNode schema, String definition, String output, String what) throws Exception {
        ObjectNode one = schema.deepCopy();
        one.put("$ref", "#/$defs/" + definition);
        JsonSchema check = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(one);
        JsonNode value = JSON.readTree(output);
        Set<ValidationMessage> problems = check.validate(value);
        assertThat(problems).as(what + " against " + definition + ":\n" + output).isEmpty();
    }
}
