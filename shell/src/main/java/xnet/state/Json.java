package xnet.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The one JSON mapper: state files and `--json` output use the same shapes. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    /** For `--json` output: the views of render.JsonViews keep the order they were built in. */
    private static final ObjectMapper OUTPUT = new ObjectMapper();

    /** For state files: the same, with filter rules as one line of text each (see RuleLines). */
    static final ObjectMapper STATE = MAPPER.copy().registerModule(RuleLines.module());

    private Json() {
    }

    /** One line: for streams of objects (`show counters --watch --json`). */
    public static String line(Object value) {
        try {
            return OUTPUT.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON: " + e.getMessage(), e);
        }
    }

    public static String pretty(Object value) {
        try {
            return OUTPUT.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON: " + e.getMessage(), e);
        }
    }
}
