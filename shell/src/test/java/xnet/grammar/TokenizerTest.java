package xnet.grammar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class TokenizerTest {

    @Test
    void splitsWordsAndStatements() {
        assertThat(Tokenizer.statements("bridge add br1 10.0.1.0/24; commit"))
                .containsExactly(List.of("bridge", "add", "br1", "10.0.1.0/24"), List.of("commit"));
        assertThat(Tokenizer.statements("  a   b  ;; c ")).containsExactly(List.of("a", "b"), List.of("c"));
    }

    @Test
    void quotesGroupAndProtectSeparators() {
        assertThat(Tokenizer.statements("exec c -- sh -c 'echo a; echo b'"))
                .containsExactly(List.of("exec", "c", "--", "sh", "-c", "echo a; echo b"));
        assertThat(Tokenizer.statements("commit comment \"say \\\"hi\\\" # not a comment\""))
                .containsExactly(List.of("commit", "comment", "say \"hi\" # not a comment"));
        assertThat(Tokenizer.statements("a ''")).containsExactly(List.of("a", ""));
    }

    @Test
    void commentsEndTheLine() {
        assertThat(Tokenizer.statements("# only a comment")).isEmpty();
        assertThat(Tokenizer.statements("bridge list # trailing")).containsExactly(List.of("bridge", "list"));
        assertThat(Tokenizer.statements("a#b")).containsExactly(List.of("a#b"));
    }

    @Test
    void unclosedQuoteIsAnError() {
        assertThatThrownBy(() -> Tokenizer.statements("commit comment 'oops")).isInstanceOf(UsageException.class)
                .hasMessage("unclosed single quote");
    }
}
