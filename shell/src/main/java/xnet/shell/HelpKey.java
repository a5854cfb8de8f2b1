package xnet.shell;

import org.jline.keymap.KeyMap;
import org.jline.reader.LineReader;
import org.jline.reader.Reference;
import org.jline.reader.Widget;

/**
 * `?` at the prompt, as in vtysh and Junos: lists what may come next at the cursor, with
 * descriptions, and leaves the line as it was. Where nothing can be listed (free text: a
 * commit comment, exec's command) and inside quotes, `?` is just a character; Ctrl-V ? always
 * inserts one.
 */
final class HelpKey {

    static final char KEY = '?';
    private static final String WIDGET = "xnet-help";

    private HelpKey() {
    }

    static void bind(LineReader reader) {
        Widget list = reader.getWidgets().get(LineReader.LIST_CHOICES);
        reader.getWidgets().put(WIDGET, () -> {
            if (insideQuotes(reader.getBuffer().toString(), reader.getBuffer().cursor()) || !list.apply()) {
                reader.getBuffer().write(KEY);
            }
            return true;
        });
        reader.getKeyMaps().get(LineReader.MAIN).bind(new Reference(WIDGET), KeyMap.translate(String.valueOf(KEY)));
    }

    /** Whether the cursor is inside an open quote, by the tokenizer's rules (a backslash escapes outside single quotes). */
    static boolean insideQuotes(String line, int cursor) {
        char quote = 0;
        for (int i = 0; i < cursor && i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == 0 && (c == '\'' || c == '"')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            } else if (c == '\\' && quote != '\'') {
                i++;
            }
        }
        return quote != 0;
    }
}
