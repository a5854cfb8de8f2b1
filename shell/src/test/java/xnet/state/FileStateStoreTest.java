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
    void aPendingConfirmationIsKeptForTheNextOwnerUntilCleared() throws Exception {
        FileStateStore store = new FileStateStore(dir.resolve("t"));
        assertThat(store.pending()).isEmpty();
        xnet.session.PendingConfirm pending = new xnet.session.PendingConfirm(3, 2, "2026-12-02T10:05:00Z", "root",
                "try the lockout");
        store.writePending(pending);
        assertThat(new FileStateStore(dir.resolve("t")).pending()).contains(pending);
        store.clearPending();
        assertThat(new FileStateStore(dir.resolve("t")).pending()).isEmpty();
        store.clearPending(); // nothing pending: no error
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

    @Test
    void changesAreStoredAsDeltasAndReplayToTheSameConfigAndSlots() throws Exception {
        FileStateStore store = new FileStateStore(dir.resolve("t"));
        xnet.datapath.RuleEdits edits = new xnet.datapath.RuleEdits(5, 10_000);
        java.util.List<xnet.model.FilterRule> rules = xnet.datapath.PacketFactory.randomRules(5, 300);
        java.util.List<Config> configs = new java.util.ArrayList<>();
        Config config = config().withFilters(rules);
        xnet.compile.SlotTable slots = new xnet.compile.SlotTable(java.util.Map.of());
        slots.apply(xnet.diff.FilterDelta.between(java.util.List.of(), rules));
        store.record(record(1, config, slots));
        configs.add(config);
        for (int n = 2; n <= 120; n++) {
            java.util.List<xnet.model.FilterRule> next = edits.edit(config.filters(), 1 + n % 4);
            xnet.diff.FilterDelta delta = xnet.diff.FilterDelta.between(config.filters(), next);
            slots.apply(delta);
            config = config.withFilters(next).withDefaultAction(n % 7 == 0 ? xnet.model.FilterRule.Action.DROP
                    : xnet.model.FilterRule.Action.ALLOW);
            store.record(record(n, config, slots), delta);
            configs.add(config);
            if (n % 10 == 0) {
                RunningState read = new FileStateStore(dir.resolve("t")).running();
                assertThat(read.config()).as("commit %d read back", n).isEqualTo(config);
                assertThat(read.datapath().slots().slotOfRule()).as("slots of commit %d", n).isEqualTo(slots.view());
            }
        }
        FileStateStore reopened = new FileStateStore(dir.resolve("t"));
        for (int n : new int[] {1, 2, 50, 51, 52, 99, 120}) {
            assertThat(reopened.commit(n).orElseThrow().config()).as("commit %d", n).isEqualTo(configs.get(n - 1));
        }
        assertThat(reopened.history()).hasSize(120);
        long snapshots;
        try (Stream<Path> files = Files.list(dir.resolve("t/history"))) {
            snapshots = files.filter(f -> readUnchecked(f).contains("\"config\"")).count();
        }
        // the first commit, then one after every MAX_CHAIN changes
        assertThat(snapshots).isEqualTo(1 + 119 / (FileStateStore.MAX_CHAIN + 1));
        assertThat(readUnchecked(dir.resolve("t/history/000120.json")).length()).as("a delta's size").isLessThan(3_000);
    }

    private static CommitRecord record(int n, Config config, xnet.compile.SlotTable slots) {
        return new CommitRecord(n, "t", "root", "", "", config, new xnet.session.DatapathState(
                new xnet.compile.SlotPlan(new java.util.HashMap<>(slots.view()), java.util.List.of()), java.util.Map.of()));
    }

    private static String readUnchecked(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
