package xnet.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.Map;

import org.junit.jupiter.api.Test;

import xnet.CDefines;

/** Every #define of bpf/include/xnet_shared.h has a Java twin in {@link Shared} with the same value. */
class SharedHeaderTest {

    @Test
    void javaConstantsMatchTheSharedHeader() throws Exception {
        Map<String, String> defines = CDefines.of("bpf/include/xnet_shared.h", "XNET_[A-Z0-9_]+");
        defines.remove("XNET_SHARED_H");
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
