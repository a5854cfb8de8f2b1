package xnet.shell;

import java.util.ArrayList;
import java.util.List;

import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

import xnet.grammar.Completion;
import xnet.grammar.Grammar;
import xnet.grammar.Suggestion;
import xnet.grammar.ValueSource;

/** Adapts the grammar's completion to JLine: the words of the current statement, then candidates. */
public final class GrammarCompleter implements Completer {

    private final Completion completion;
    private final ValueSource values;

    public GrammarCompleter(Grammar grammar, ValueSource values) {
        this.completion = new Completion(grammar);
        this.values = values;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> done = new ArrayList<>();
        List<String> words = line.words();
        for (int i = 0; i < line.wordIndex() && i < words.size(); i++) {
            String word = words.get(i);
            if (word.equals(";") || word.endsWith(";")) {
                done.clear();
            } else if (!word.isEmpty()) {
                done.add(word);
            }
        }
        String partial = line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
        for (Suggestion s : completion.complete(done, partial, values)) {
            String description = s.description() == null || s.description().isEmpty() ? null : s.description();
            candidates.add(new Candidate(s.value(), s.value(), null, description, null, null, true));
        }
    }
}
