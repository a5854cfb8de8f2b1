package xnet.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import xnet.CDefines;

/** The C client's frame letters (client/xnet-client.c, FRAME_*) are {@link Frame}'s, name for name. */
class FrameLettersTest {

    @Test
    void theCClientSpeaksTheFramesOfTheDaemon() throws Exception {
        Map<String, Character> letters = new HashMap<>();
        CDefines.of("client/xnet-client.c", "FRAME_[A-Z_]+").forEach((name, value) ->
                letters.put(name.substring("FRAME_".length()), value.charAt(1))); // 'H' -> H
        assertThat(letters).hasSizeGreaterThan(8);
        for (Map.Entry<String, Character> letter : letters.entrySet()) {
            assertThat(Frame.class.getField(letter.getKey()).getChar(null)).as(letter.getKey()).isEqualTo(letter.getValue());
        }
        assertThat(CDefines.text("client/xnet-client.c")).as("a frame letter written out instead of its name")
                .doesNotContainPattern("(send_text|send_frame)\\(fd, '")
                .doesNotContainPattern("case '[A-Z.]':");
    }
}
