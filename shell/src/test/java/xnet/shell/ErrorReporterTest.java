package xnet.shell;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Error messages stay one printable line whatever input they quote. */
class ErrorReporterTest {

    @Test
    void controlCharactersInQuotedInputAreShownEscaped() {
        assertThat(ErrorReporter.printable("unknown command 'a\rb\u001b[31mc\u0000d\u0085e'"))
                .isEqualTo("unknown command 'a\\x0db\\x1b[31mc\\x00d\\x85e'");
        assertThat(ErrorReporter.printable("plain \u00e9t\u00e9 \ud83d\ude00")).isEqualTo("plain \u00e9t\u00e9 \ud83d\ude00");
    }
}
