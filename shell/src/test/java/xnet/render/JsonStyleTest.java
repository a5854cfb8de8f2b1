package xnet.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * One JSON style across commands (docs/json.md): a key means one thing, so it has one JSON type
 * everywhere in docs/json/xnet.schema.json (an array's items included: "programs" cannot be a
 * list of words in one output and of objects in another). JsonOutputIT checks that each command's
 * output meets the schema; together they hold every output to one form.
 */
class JsonStyleTest {

    private static final Path SCHEMA = Path.of(System.getProperty("user.dir")).resolve("../docs/json/xnet.schema.json")
            .normalize();

    @Test
    void everyKeyHasOneTypeInEveryOutput() throws Exception {
        JsonNode schema = new ObjectMapper().readTree(Files.readString(SCHEMA));
        Map<String, Set<String>> types = new TreeMap<>();
        Map<String, List<String>> where = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> defs = schema.path("$defs").fields(); defs.hasNext(); ) {
            Map.Entry<String, JsonNode> def = defs.next();
            collect(schema, def.getKey(), def.getValue(), types, where);
        }
        assertThat(types).as("keys found in the schema").containsKeys("default", "time", "id", "port");
        List<String> mixed = new ArrayList<>();
        types.forEach((key, seen) -> {
            if (seen.size() > 1) {
                mixed.add(key + ": " + seen + " in " + where.get(key));
            }
        });
        assertThat(mixed).as("keys with more than one JSON type").isEmpty();
    }

    /** A moment has one form, whatever the output: "time" (and a deadline, a start) refer to $defs/time. */
    @Test
    void everyMomentHasOneForm() throws Exception {
        JsonNode schema = new ObjectMapper().readTree(Files.readString(SCHEMA));
        List<String> moments = new ArrayList<>();
        schema.path("$defs").findParents("properties").forEach(owner -> owner.path("properties").fields()
                .forEachRemaining(p -> {
                    if (List.of("time", "deadline", "started", "at", "since").contains(p.getKey())) {
                        moments.add(p.getKey() + "=" + p.getValue().path("$ref").asText());
                    }
                }));
        assertThat(moments).as("moments").isNotEmpty().allMatch(m -> m.matches("(time|deadline|started)=#/\\$defs/time"));
    }

    /** A config is shown the same way wherever it is: under "config", beside what it is (running, candidate, a commit). */
    @Test
    void everyConfigIsWrappedAlike() throws Exception {
        JsonNode schema = new ObjectMapper().readTree(Files.readString(SCHEMA));
        for (String command : List.of("show candidate", "show running", "show commit")) {
            JsonNode def = schema.path("$defs").path(schema.path("commands").path(command).asText());
            assertThat(def.path("properties").path("config").path("$ref").asText()).as(command)
                    .isEqualTo("#/$defs/config");
        }
    }

    /** Every object's properties under {@code node}, with the JSON type each has. */
    private static void collect(JsonNode schema, String path, JsonNode node, Map<String, Set<String>> types,
                                Map<String, List<String>> where) {
        if (node.isArray()) {
            for (JsonNode item : node) {
                collect(schema, path, item, types, where);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> props = node.path("properties").fields(); props.hasNext(); ) {
            Map.Entry<String, JsonNode> p = props.next();
            types.computeIfAbsent(p.getKey(), k -> new TreeSet<>()).add(type(schema, p.getValue()));
            where.computeIfAbsent(p.getKey(), k -> new ArrayList<>()).add(path);
        }
        for (String nested : List.of("properties", "items", "oneOf", "anyOf", "additionalProperties", "then")) {
            JsonNode child = node.path(nested);
            if (nested.equals("properties")) {
                child.fields().forEachRemaining(e -> collect(schema, path + "." + e.getKey(), e.getValue(), types, where));
            } else if (!child.isMissingNode()) {
                collect(schema, path, child, types, where);
            }
        }
    }

    /** The JSON type of a schema: "string", "integer", "object", "array of ..." ($ref, enum, const and unions resolved). */
    static String type(JsonNode schema, JsonNode node) {
        if (node.has("$ref")) {
            String name = node.get("$ref").asText().replace("#/$defs/", "");
            return type(schema, schema.path("$defs").path(name));
        }
        for (String union : List.of("anyOf", "oneOf")) {
            if (node.has(union)) {
                Set<String> each = new TreeSet<>();
                node.get(union).forEach(branch -> each.add(type(schema, branch)));
                return String.join("|", each);
            }
        }
        if (node.has("enum")) {
            Set<String> each = new TreeSet<>();
            node.get("enum").forEach(v -> each.add(valueType(v)));
            return String.join("|", each);
        }
        if (node.has("const")) {
            return valueType(node.get("const"));
        }
        JsonNode type = node.path("type");
        if (type.isArray()) {
            Set<String> each = new TreeSet<>();
            type.forEach(t -> each.add(t.asText()));
            return String.join("|", each);
        }
        if (type.asText().equals("array")) {
            return "array of " + (node.has("items") ? type(schema, node.get("items")) : "anything");
        }
        if (type.asText().equals("number")) {
            return "number";
        }
        return type.isMissingNode() ? "anything" : type.asText();
    }

    private static String valueType(JsonNode v) {
        return v.isTextual() ? "string" : v.isBoolean() ? "boolean" : v.isIntegralNumber() ? "integer" : v.getNodeType()
                .toString().toLowerCase();
    }
}
