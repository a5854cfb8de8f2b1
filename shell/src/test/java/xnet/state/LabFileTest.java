package xnet.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import xnet.plan.LabNetwork;

class LabFileTest {

    @TempDir
    Path dir;

    @Test
    void aLabKeepsTheNetworkItWasMadeWith() throws Exception {
        LabFile file = new LabFile(dir.resolve("ha"));
        assertThat(file.resolve("ha", null, null)).isEqualTo(LabNetwork.DEFAULT);
        assertThat(Files.exists(dir.resolve("ha/lab.json"))).isFalse();

        LabNetwork made = file.resolve("ha", "10.0.0.3/24", "u1");
        assertThat(made.underlay()).isEqualTo("u1");
        assertThat(file.resolve("ha", null, null)).isEqualTo(made);
        assertThat(file.resolve("ha", "10.0.0.3/24", null)).isEqualTo(made);
        assertThatThrownBy(() -> file.resolve("ha", "10.0.0.5/24", null))
                .hasMessageContaining("lab ha was made with --uplink 10.0.0.3/24 --underlay u1");
        assertThatThrownBy(() -> file.resolve("ha", null, "u2")).hasMessageContaining("lab destroy");
    }

    @Test
    void aLabMadeWithTheDefaultsRefusesOtherOptionsLater() throws Exception {
        LabFile file = new LabFile(dir.resolve("nu1"));
        Files.createDirectories(dir.resolve("nu1"));
        Files.writeString(dir.resolve("nu1/running.json"), "{}"); // committed to, without --uplink
        assertThatThrownBy(() -> file.resolve("nu1", "10.0.0.9/24", null))
                .hasMessageContaining("lab nu1 was made with --uplink 10.0.0.1/24 (the default)");
        assertThatThrownBy(() -> file.resolve("nu1", null, "u1")).hasMessageContaining("lab destroy");
        assertThat(file.resolve("nu1", "10.0.0.1/24", null)).isEqualTo(LabNetwork.DEFAULT);
        assertThat(Files.exists(dir.resolve("nu1/lab.json"))).as("nothing written").isFalse();
    }
}
