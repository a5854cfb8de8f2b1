package xnet.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import xnet.model.Bridge;
import xnet.model.Cidr;
import xnet.model.Config;
import xnet.model.Container;
import xnet.model.Ipv4;
import xnet.session.CommitRecord;
import xnet.session.RunningState;

class FileStateStoreTest {

    @TempDir
    Path dir;

    private static Config config() {
        return Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.0.1.0/24")))
                .withContainer(new Container("web", "br1", Ipv4.parse("10.0.1.2")));
    }

    @Test
    void emptyDirectoryMeansNothingCommitted() throws Exception {
        FileStateStore store = new FileStateStore(dir.resolve("t"));
        assertThat(store.running()).isEqualTo(RunningState.NONE);
        assertThat(store.history()).isEmpty();
    }

    @Test
    void recordsRoundTripAndLeaveNoTemporaryFiles() throws Exception {
        FileStateStore store = new FileStateStore(dir.resolve("t"));
        store.record(new CommitRecord(1, "2026-01-01T00:00:00Z", "root", "first", "+2 ~0 -0", config()));
        store.record(new CommitRecord(2, "2026-01-01T00:01:00Z", "root", "", "+0 ~0 -1", config().withoutContainer("web")));

        FileStateStore reopened = new FileStateStore(dir.resolve("t"));
        assertThat(reopened.running()).isEqualTo(new RunningState(2, config().withoutContainer("web")));
        assertThat(reopened.history()).extracting(CommitRecord::number).containsExactly(1, 2);
        assertThat(reopened.history().get(0)).extracting(CommitRecord::comment, CommitRecord::summary, CommitRecord::user)
                .containsExactly("first", "+2 ~0 -0", "root");
        assertThat(reopened.commit(1).orElseThrow().config()).isEqualTo(config());
        assertThat(reopened.commit(3)).isEmpty();
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.map(Path::toString)).noneMatch(f -> f.endsWith(".tmp"));
        }
    }

    @Test
    void historyBeyondTheRunningGenerationIsIgnored() throws Exception {
        FileStateStore store = new FileStateStore(dir.resolve("t"));
        store.record(new CommitRecord(1, "t", "root", "", "", config()));
        // a crash after writing history entry 2 but before running.json
        FileStateStore.writeText(dir.resolve("t/history/000002.json"),
                Json.pretty(new CommitRecord(2, "t", "root", "", "", Config.EMPTY)));
        assertThat(store.history()).extracting(CommitRecord::number).containsExactly(1);
        assertThat(store.commit(2)).isEmpty();
    }

    @Test
    void deleteRemovesEverything() throws Exception {
        FileStateStore store = new FileStateStore(dir.resolve("t"));
        store.record(new CommitRecord(1, "t", "root", "", "", config()));
        try (AutoCloseable lock = store.lock()) {
            assertThat(Files.exists(dir.resolve("t/lock"))).isTrue();
        }
        store.delete();
        assertThat(Files.exists(dir.resolve("t"))).isFalse();
    }
}
