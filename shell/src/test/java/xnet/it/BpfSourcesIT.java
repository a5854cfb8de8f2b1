package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** bpf/ builds without Java: both programs with their defaults, and every header on its own. */
class BpfSourcesIT {

    @Test
    void theScriptBuildsBothHooksAndEveryHeaderAlone() throws Exception {
        Path out = Files.createTempDirectory("xnet-bpf-build");
        try {
            ProcessBuilder build = new ProcessBuilder(List.of(Xnet.ROOT.resolve("bpf/build.sh").toString(),
                    out.toString())).redirectErrorStream(true);
            Process process = build.start();
            String output = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor()).as(output).isZero();
            assertThat(output).contains("every header compiles on its own");
            for (String object : List.of("xnet_tc.o", "xnet_xdp.o")) {
                byte[] elf = Files.readAllBytes(out.resolve(object));
                assertThat(elf).as(object).startsWith(0x7f, 'E', 'L', 'F');
            }
        } finally {
            try (var files = Files.walk(out)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
