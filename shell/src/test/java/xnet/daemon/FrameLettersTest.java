package xnet.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The C client's frame letters (client/xnet-client.c, FRAME_*) are {@link Frame}'s, name for name. */
class FrameLettersTest {

    @Test
    void theCClientSpeaksTheFramesOfTheDaemon() throws Exception {
        Path source = Path.of(System.getProperty("user.dir")).resolve("../client/xnet-client.c").normalize();
        Map<String, Character> letters = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^#define FRAME_([A-Z_]+) '(.)'$").matcher(Files.readString(source));
        while (m.find()) {
            letters.put(m.group(1), m.group(2).charAt(0));
        }
        assertThat(letters).hasSizeGreaterThan(8);
        for (Map.Entry<String, Character> letter : letters.entrySet()) {
            assertThat(Frame.class.getField(letter.getKey()).getChar(null)).as(letter.getKey()).isEqualTo(letter.getValue());
        }
        assertThat(Files.readString(source)).as("a frame letter written out instead of its name")
                .doesNotContainPattern("(send_text|send_frame)\\(fd, '")
                .doesNotContainPattern("case '[A-Z.]':");
    }
}
