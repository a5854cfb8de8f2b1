package xnet.grammar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class CompletionTest {

    private final Completion completion = new Completion(GrammarTest.GRAMMAR);
    private final ValueSource values = type -> switch (type) {
        case BRIDGE -> List.of(new Suggestion("br1", "10.0.1.0/24"), new Suggestion("br2", "10.0.2.0/24"));
        case ENDPOINT -> List.of(new Suggestion("client", "br1 10.0.1.2"), new Suggestion("host", "lab host"));
        default -> List.of();
    };

    /** The values completion offers; a hint shows as its placeholder in angle brackets. */
    private List<String> complete(String typed, String partial) {
        List<String> done = typed.isBlank() ? List.of() : List.of(typed.trim().split(" "));
        return completion.complete(done, partial, values).stream()
                .map(s -> s.kind() == Suggestion.Kind.HINT ? "<" + s.value() + ">" : s.value()).toList();
    }

    @Test
    void completesCommandWords() {
        assertThat(complete("", "")).contains("bridge", "container", "commit", "exec", "help");
        assertThat(complete("", "co")).containsExactly("commit", "container");
        assertThat(complete("bridge", "")).containsExactly("add", "del");
    }

    @Test
    void describesCandidates() {
        List<Suggestion> bridges = completion.complete(List.of("bridge", "del"), "", values);
        assertThat(bridges).containsExactly(new Suggestion("br1", "10.0.1.0/24"), new Suggestion("br2", "10.0.2.0/24"));
        assertThat(completion.complete(List.of("bridge"), "a", values).get(0).description()).isEqualTo("add a bridge");
    }

    @Test
    void completesKeywordsAndTheirValuesFromTheModel() {
        assertThat(complete("container add web", "")).containsExactly("--bridge", "--ip");
        assertThat(complete("container add", "")).as("no option before the name").containsExactly("<NAME>");
        assertThat(complete("container add web --bridge", "")).containsExactly("br1", "br2");
        assertThat(complete("container add web --bridge br1", "")).containsExactly("--ip");
        assertThat(complete("commit", "")).contains("check", "comment");
        assertThat(complete("nat add 1.2.3.4:80", "")).containsExactly("->");
        assertThat(complete("nat add", "")).as("not proto before the addresses").containsExactly("<PUBLIC>");
        assertThat(complete("nat add a ->", "")).containsExactly("<PRIVATE>");
        assertThat(complete("nat add a -> b", "")).containsExactly("proto");
        assertThat(complete("nat add a -> b proto", "")).containsExactly("tcp", "udp");
    }

    @Test
    void abbreviatedWordsCompleteLikeWholeOnes() {
        assertThat(complete("sh", "cou")).containsExactly("counters");
        assertThat(complete("fil a", "")).containsExactly("allow", "drop");
        assertThat(complete("fil a dr", "")).containsExactly("from", "to", "proto", "port");
        assertThat(complete("fil a dr fr", "")).containsExactly("<ADDR[/LEN]>");
    }

    @Test
    void aHintIsShownOnlyBeforeAnythingIsTypedAndSaysWhatItMeans() {
        Suggestion hint = completion.complete(List.of("bridge", "add"), "", values).get(0);
        assertThat(hint.kind()).isEqualTo(Suggestion.Kind.HINT);
        assertThat(hint.value()).isEqualTo("NAME");
        assertThat(hint.description()).contains("new name");
        assertThat(complete("bridge add", "b")).isEmpty();
        assertThat(complete("bridge del", "")).as("closed values list themselves, no hint").containsExactly("br1", "br2");
        assertThat(complete("rollback", "")).as("nothing to list: say what belongs there").containsExactly("<NUMBER>");
    }

    @Test
    void theRealFilterGrammarOffersLogAndStatesWithTheirMeaning() {
        Completion real = new Completion(xnet.shell.ShellAssembly.grammar());
        ValueSource states = type -> type == ValueType.STATES ? List.of(new Suggestion("established,related", "replies"))
                : List.of();
        assertThat(real.complete(List.of("filter", "add", "allow"), "", states)).extracting(Suggestion::value)
                .contains("log", "state");
        List<Suggestion> afterState = real.complete(List.of("filter", "add", "allow", "state"), "", states);
        assertThat(afterState).extracting(Suggestion::value).contains("STATE[,STATE...]", "established,related");
        assertThat(afterState).filteredOn(v -> v.kind() == Suggestion.Kind.HINT).singleElement()
                .satisfies(h -> assertThat(h.description()).contains("new, established, related"));
    }

    @Test
    void completesExecEndpointsThenStops() {
        assertThat(complete("exec", "c")).containsExactly("client");
        assertThat(complete("exec client", "")).containsExactly("--");
        assertThat(complete("exec client -- ping", "")).isEmpty();
    }
}
