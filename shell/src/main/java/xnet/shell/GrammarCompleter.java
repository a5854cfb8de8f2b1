package xnet.shell;

import java.io.IOException;
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

/**
 * Adapts the grammar's completion to JLine: the words of the current statement, then candidates
 * from a {@link Suggester}, which is the grammar itself in this process or xnetd's session.
 */
public final class GrammarCompleter implements Completer {

    /** Suggestions for the word being typed, given the words of the statement before it. */
    public interface Suggester {
        List<Suggestion> suggest(List<String> done, String partial) throws IOException;
    }

    private final Suggester suggester;

    public GrammarCompleter(Suggester suggester) {
        this.suggester = suggester;
    }

    public static GrammarCompleter local(Grammar grammar, ValueSource values) {
        Completion completion = new Completion(grammar);
        return new GrammarCompleter((done, partial) -> completion.complete(done, partial, values));
    }

    /**
     * A hint's candidate has an empty value: JLine never inserts an empty completion, even when it
     * is the only one, and lists it with its placeholder as the text shown.
     */
    static Candidate candidate(Suggestion s) {
        String description = s.description() == null || s.description().isEmpty() ? null : s.description();
        return switch (s.kind()) {
            case WORD -> new Candidate(s.value(), s.value(), null, description, null, null, true);
            case PART -> new Candidate(s.value(), s.value(), null, description, null, null, false);
            case HINT -> new Candidate("", s.value(), null, description, null, null, false);
        };
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
        try {
            for (Suggestion s : suggester.suggest(done, partial)) {
                candidates.add(candidate(s));
            }
        } catch (IOException unreachable) {
            // no candidates: the next line will say what is wrong with the daemon
        }
    }
}
