package xnet.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** Every #define of bpf/include/xnet_shared.h has a Java twin in {@link Shared} with the same value. */
class SharedHeaderTest {

    @Test
    void javaConstantsMatchTheSharedHeader() throws Exception {
        Path header = Path.of(System.getProperty("user.dir")).resolve("../bpf/include/xnet_shared.h").normalize();
        Map<String, String> defines = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^#define (XNET_[A-Z0-9_]+) (.+)$").matcher(Files.readString(header));
        while (m.find()) {
            if (!m.group(1).equals("XNET_SHARED_H")) {
                defines.put(m.group(1), m.group(2).trim());
            }
        }
        assertThat(defines).hasSizeGreaterThan(20);
        for (Map.Entry<String, String> d : defines.entrySet()) {
            Field field = Shared.class.getField(d.getKey());
            Object javaValue = field.get(null);
            String cValue = d.getValue().replaceAll("^\"|\"$", "");
            if (cValue.matches("\\(1 << (\\d+)\\)")) {
                cValue = Integer.toString(1 << Integer.parseInt(cValue.replaceAll("\\D+", " ").trim().split(" ")[1]));
            }
            assertThat(String.valueOf(javaValue)).as(d.getKey()).isEqualTo(cValue);
        }
    }
}
