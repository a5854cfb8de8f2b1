package xnet.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** One decoding rule for every script: strict UTF-8 with the line and column of a bad byte, bounded sizes. */
class ScriptTextTest {

    @Test
    void aBadByteIsAnErrorWithItsLineAndColumn() {
        byte[] bytes = "bridge list\nfilter add drop from 10.9.9.\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> ScriptText.lines(bytes, "b.xnet")).isInstanceOf(ScriptText.Unreadable.class)
                .hasMessage("not valid UTF-8 (byte 0xE9 at column 29)")
                .satisfies(e -> assertThat(((ScriptText.Unreadable) e).where()).isEqualTo("b.xnet:2"));
        assertThat(ScriptText.lines("bridge list\n\u00e9t\u00e9\n".getBytes(StandardCharsets.UTF_8), "ok.xnet"))
                .containsExactly("bridge list", "\u00e9t\u00e9");
    }

    @Test
    void longLinesAndLargeScriptsAreRefusedBeforeTheyAreParsed() {
        byte[] longLine = ("x".repeat(ScriptText.MAX_LINE + 1) + "\n").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ScriptText.lines(longLine, "l.xnet")).hasMessageContaining("line longer than 65536")
                .satisfies(e -> assertThat(((ScriptText.Unreadable) e).where()).isEqualTo("l.xnet:1"));
        assertThatThrownBy(() -> ScriptText.line(longLine, "-c:1")).hasMessageContaining("line longer than");
        assertThatThrownBy(() -> ScriptText.lines(new byte[ScriptText.MAX_BYTES + 1], "big.xnet"))
                .hasMessageContaining("larger than 16 MiB");
    }

    @Test
    void aNulByteIsRefusedWithItsPlaceInsteadOfEndingTheLine() {
        byte[] bytes = "filter list\nfilter add drop from 10.0.0.1\0 to 10.0.1.2 proto tcp port 80\n"
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ScriptText.lines(bytes, "nul.xnet")).hasMessage("NUL byte at column 30")
                .satisfies(e -> assertThat(((ScriptText.Unreadable) e).where()).isEqualTo("nul.xnet:2"));
        assertThatThrownBy(() -> ScriptText.line("show\0x".getBytes(StandardCharsets.UTF_8), "-f:3"))
                .hasMessage("NUL byte at column 5")
                .satisfies(e -> assertThat(((ScriptText.Unreadable) e).where()).isEqualTo("-f:3"));
    }
}
