package xnet.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import xnet.model.Bridge;
import xnet.model.Cidr;
import xnet.model.Config;
import xnet.model.ConfigEditor;
import xnet.model.Container;
import xnet.model.FilterRule;
import xnet.model.Ipv4;
import xnet.model.RuleEditor;
import xnet.model.Validator;
import xnet.plan.TargetLayout;
import xnet.session.CommitService;
import xnet.session.FakeKernel;
import xnet.session.MemoryStateStore;
import xnet.session.PendingConfirm;
import xnet.session.PrepareHook;

/**
 * `commit confirmed` over fake ports: who confirms, what the rollback keeps, and an owner that
 * starts after the deadline. The timer itself is the JDK's; these tests move the clock instead
 * of waiting (a new owner with a later clock), and the kernel test waits for a real deadline.
 */
class ConfirmedCommitsTest {

    private static final Instant START = Instant.parse("2026-12-02T10:00:00Z");
    private final TargetLayout layout = TargetLayout.lab("t");
    private final FakeKernel kernel = new FakeKernel();
    private final MemoryStateStore store = new MemoryStateStore();
    private final LocalTargetServiceTest.FakeDatapath datapath = new LocalTargetServiceTest.FakeDatapath();
    private final List<TargetPorts> owners = new java.util.ArrayList<>();

    /**
     * The target's ports as an owner that starts at {@code now} has them. Its timer waits real
     * time from that clock's now; no test here comes within minutes of a deadline in real time.
     */
    private TargetPorts ownerAt(Instant now) {
        kernel.base = true; // the lab's base exists: a commit with no change plans no kernel step
        Validator validator = layout.validator();
        Editors editors = new Editors(new ConfigEditor(validator), new RuleEditor(validator));
        TargetPorts ports = new TargetPorts(layout, store, kernel, datapath,
                new CommitService(store, kernel, datapath, PrepareHook.NONE), editors, Clock.fixed(now, ZoneOffset.UTC));
        owners.add(ports);
        return ports;
    }

    @org.junit.jupiter.api.AfterEach
    void stopTimers() {
        owners.forEach(o -> o.confirms().close());
    }

    private static Config web() {
        return Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.0.1.0/24")))
                .withContainer(new Container("web", "br1", Ipv4.parse("10.0.1.2")));
    }

    private static Config lockedOut(Config config) {
        return config.withFilterAt(config.filters().size(), new FilterRule(config.nextFilterId(),
                FilterRule.Action.DROP, Cidr.parse("10.0.0.0/8"), null, null, null));
    }

    /** Commit 1 confirmed the ordinary way, commit 2 (a drop rule) with a 10-minute window. */
    private TargetService confirmedDropRule(TargetPorts ports) throws Exception {
        TargetService user = ports.newSession();
        user.edit(c -> web());
        user.commit("");
        user.edit(ConfirmedCommitsTest::lockedOut);
        ConfirmedCommits.Outcome outcome = user.commitConfirmed(Duration.ofMinutes(10), "try the rule");
        assertThat(outcome.record().number()).isEqualTo(2);
        assertThat(outcome.pending()).isEqualTo(new PendingConfirm(2, 1, "2026-12-02T10:10:00Z",
                CommitService.user(), "try the rule"));
        assertThat(outcome.heldByDaemon()).isFalse();
        return user;
    }

    @Test
    void anOwnerThatStartsAfterTheDeadlineRollsBackAtOnce() throws Exception {
        confirmedDropRule(ownerAt(START));
        assertThat(ownerAt(START.plusSeconds(1)).settle()).isEqualTo(
                "commit 2 awaits confirmation until 2026-12-02T10:10:00Z");
        assertThat(store.records).hasSize(2);

        String done = ownerAt(START.plusSeconds(600)).settle();
        assertThat(done).isEqualTo("commit 2 was not confirmed by 2026-12-02T10:10:00Z: rolled back to commit 1's "
                + "config as commit 3");
        assertThat(store.records).hasSize(3);
        assertThat(store.running().config().filters()).isEmpty();
        assertThat(store.running().config().containers()).containsOnlyKeys("web");
        assertThat(store.records.get(2).comment()).isEqualTo("rollback of unconfirmed commit 2: not confirmed by "
                + "2026-12-02T10:10:00Z, back to commit 1");
        assertThat(store.pending).isNull();
        assertThat(ownerAt(START.plusSeconds(700)).settle()).as("nothing left to do").isNull();
    }

    @Test
    void aUsersCommitConfirmsEvenWithNothingToCommitAndTheRuntimesDoesNot() throws Exception {
        TargetPorts ports = ownerAt(START);
        TargetService user = confirmedDropRule(ports);
        TargetService runtime = ports.newRuntimeSession();
        runtime.edit(c -> c.withContainer(new Container("db", "br1", Ipv4.parse("10.0.1.3"))));
        runtime.commit("CNI ADD db eth0");
        assertThat(runtime.confirmedByLastCommit()).isNull();
        assertThat(user.pendingConfirm()).as("a container starting confirms nothing").isPresent();

        user.refresh();
        assertThat(user.commit("")).as("nothing to commit").isNull();
        assertThat(user.confirmedByLastCommit().commit()).isEqualTo(2);
        assertThat(store.pending).isNull();
        assertThat(ownerAt(START.plusSeconds(3600)).settle()).isNull();
        assertThat(store.running().config().filters()).hasSize(1);
    }

    @Test
    void theRollbackTakesBackOnlyTheUnconfirmedChangeAndKeepsTheRuntimesContainers() throws Exception {
        TargetPorts ports = ownerAt(START);
        confirmedDropRule(ports);
        TargetService runtime = ports.newRuntimeSession();
        runtime.edit(c -> c.withContainer(new Container("db", "br1", Ipv4.parse("10.0.1.3"))));
        runtime.commit("CNI ADD db eth0");

        assertThat(ownerAt(START.plusSeconds(601)).settle()).endsWith("rolled back to commit 1's config as commit 4");
        assertThat(store.running().config().filters()).isEmpty();
        assertThat(store.running().config().containers()).containsOnlyKeys("web", "db");
    }

    @Test
    void aSecondCommitConfirmedMovesTheDeadlineAndStillGoesBackToTheLastConfirmedCommit() throws Exception {
        TargetPorts ports = ownerAt(START);
        TargetService user = confirmedDropRule(ports);
        user.edit(c -> c.withBridge(new Bridge("br2", Cidr.parse("10.0.2.0/24"))));
        ConfirmedCommits.Outcome second = user.commitConfirmed(Duration.ofSeconds(90), "");
        assertThat(second.pending()).isEqualTo(new PendingConfirm(3, 1, "2026-12-02T10:01:30Z", CommitService.user(),
                ""));
        ConfirmedCommits.Outcome moved = user.commitConfirmed(Duration.ofMinutes(5), "");
        assertThat(moved.record()).as("nothing else to commit").isNull();
        assertThat(moved.pending().deadline()).isEqualTo("2026-12-02T10:05:00Z");

        ownerAt(START.plusSeconds(300)).settle();
        assertThat(store.running().config().bridges()).containsOnlyKeys("br1");
        assertThat(store.running().config().filters()).isEmpty();
    }

    @Test
    void anOwnerStoppedBetweenTheRollbackAndForgettingTheDeadlineDoesNotRollBackTwice() throws Exception {
        confirmedDropRule(ownerAt(START));
        PendingConfirm pending = store.pending;
        ownerAt(START.plusSeconds(600)).settle();
        store.pending = pending; // as if the owner died before clearing it
        assertThat(ownerAt(START.plusSeconds(601)).settle()).isNull();
        assertThat(store.records).hasSize(3);
        assertThat(store.pending).isNull();
    }

    @Test
    void aConfirmedCommitNeedsACommitToGoBackToAndAWindowInBounds() throws Exception {
        TargetService user = ownerAt(START).newSession();
        user.edit(c -> web());
        assertThatThrownBy(() -> user.commitConfirmed(Duration.ofMinutes(1), ""))
                .hasMessageContaining("needs a commit to go back to");
        user.commit("");
        user.edit(ConfirmedCommitsTest::lockedOut);
        assertThatThrownBy(() -> user.commitConfirmed(Duration.ofSeconds(4), ""))
                .hasMessage("a confirmation window is from 5 s to 65535 minutes; got 4 s");
        assertThat(store.records).hasSize(1);
        assertThat(user.confirm()).as("nothing pending").isNull();
    }
}
