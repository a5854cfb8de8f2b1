package xnet.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import xnet.model.Bridge;
import xnet.model.Cidr;
import xnet.model.Config;
import xnet.model.Container;
import xnet.model.Ipv4;
import xnet.plan.KernelAction;
import xnet.plan.TargetLayout;

class CommitServiceTest {

    private final FakeKernel kernel = new FakeKernel();
    private final MemoryStateStore store = new MemoryStateStore();
    private final TargetLayout layout = TargetLayout.lab("t");

    private static Config oneBridge() {
        return Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.0.1.0/24")))
                .withContainer(new Container("web", "br1", Ipv4.parse("10.0.1.2")));
    }

    @Test
    void commitRunsThePlanAndRecordsHistory() throws Exception {
        Session session = new Session(layout, store.running());
        session.replaceCandidate(oneBridge());
        CommitRecord record = new CommitService(store, kernel, PrepareHook.NONE).commit(session, "first");
        assertThat(record.number()).isEqualTo(1);
        assertThat(record.summary()).isEqualTo("+2 ~0 -0");
        assertThat(kernel.log).contains("ip netns add xnet.t.host", "ip netns add xnet.t.c.web");
        assertThat(session.hasChanges()).isFalse();
        assertThat(session.baseGeneration()).isEqualTo(1);
        kernel.base = true;
        assertThat(new CommitService(store, kernel, PrepareHook.NONE).commit(session, "")).isNull();
    }

    @Test
    void failureInPrepareUndoesEveryDoneStepInReverse() throws Exception {
        Session session = new Session(layout, store.running());
        session.replaceCandidate(oneBridge());
        kernel.failOn = "ip -n xnet.t.host link set v-web master br1 up";
        assertThatThrownBy(() -> new CommitService(store, kernel, PrepareHook.NONE).commit(session, ""))
                .isInstanceOf(CommitException.class)
                .satisfies(e -> assertThat(((CommitException) e).details())
                        .anyMatch(d -> d.contains("kernel is as it was")));
        List<String> forward = kernel.log.subList(0, kernel.log.indexOf("ip -n xnet.t.host link del v-web"));
        List<String> undone = kernel.log.subList(forward.size(), kernel.log.size());
        // every namespace and link made before the failure is removed again, newest first
        assertThat(undone).containsExactly("ip -n xnet.t.host link del v-web", "ip netns del xnet.t.c.web",
                "ip -n xnet.t.outside route del 10.0.1.0/24 via 10.0.0.1", "ip -n xnet.t.host link del br1",
                "ip -n xnet.t.host link del uplink", "ip netns del xnet.t.outside", "ip netns del xnet.t.host");
        assertThat(store.records).isEmpty();
        assertThat(session.hasChanges()).isTrue();
    }

    @Test
    void injectedFailureAtEveryStepLeavesNothingRecorded() throws Exception {
        Session probe = new Session(layout, RunningState.NONE);
        probe.replaceCandidate(oneBridge());
        int steps = new CommitService(store, kernel, PrepareHook.NONE).check(probe).actions().size();
        for (int failAt = 0; failAt < steps; failAt++) {
            final int target = failAt;
            List<KernelAction> seen = new ArrayList<>();
            PrepareHook hook = (index, action) -> {
                seen.add(action);
                if (index == target) {
                    throw new KernelException("injected");
                }
            };
            Session session = new Session(layout, store.running());
            session.replaceCandidate(oneBridge());
            assertThatThrownBy(() -> new CommitService(store, new FakeKernel(), hook).commit(session, ""))
                    .isInstanceOf(CommitException.class);
            assertThat(seen).hasSize(failAt + 1);
            assertThat(store.records).isEmpty();
        }
    }

    @Test
    void failedRecordingUndoesTheKernelWork() {
        store.failWrites = true;
        Session session = new Session(layout, store.running());
        session.replaceCandidate(oneBridge());
        assertThatThrownBy(() -> new CommitService(store, kernel, PrepareHook.NONE).commit(session, ""))
                .hasMessageContaining("recording the running state")
                .satisfies(e -> assertThat(((CommitException) e).details()).contains("No space left on device",
                        "the kernel is as it was before the commit"));
        assertThat(kernel.log).endsWith("ip netns del xnet.t.host");
    }

    /** A session whose base is stale: another one committed oneBridge() after it started. */
    private Session staleSession() throws Exception {
        Session first = new Session(layout, store.running());
        Session second = new Session(layout, store.running());
        first.replaceCandidate(oneBridge());
        new CommitService(store, kernel, PrepareHook.NONE).commit(first, "");
        return second;
    }

    @Test
    void aStaleBaseThatChangedTheSameObjectIsRefusedAndNothingIsOverwritten() throws Exception {
        Session second = staleSession();
        second.replaceCandidate(Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.0.9.0/24"))));
        int logged = kernel.log.size();
        assertThatThrownBy(() -> new CommitService(store, kernel, PrepareHook.NONE).commit(second, ""))
                .hasMessageContaining("running config changed since this session started")
                .satisfies(e -> assertThat(((CommitException) e).details())
                        .contains("bridge br1 was changed here and by the other commit"));
        assertThat(kernel.log).hasSize(logged);
        assertThat(store.running().config()).isEqualTo(oneBridge());
    }

    @Test
    void aStaleBaseWithOtherChangesIsRebasedOnTheNewRunningConfig() throws Exception {
        Session second = staleSession();
        Bridge br9 = new Bridge("br9", Cidr.parse("10.0.9.0/24"));
        second.replaceCandidate(Config.EMPTY.withBridge(br9));
        CommitRecord record = new CommitService(store, kernel, PrepareHook.NONE).commit(second, "");
        assertThat(record.number()).isEqualTo(2);
        assertThat(store.running().config().bridges()).containsKeys("br1", "br9");
        assertThat(store.running().config().containers()).isEqualTo(oneBridge().containers());
        assertThat(second.baseGeneration()).isEqualTo(2);
    }

    @Test
    void invalidCandidateIsRefusedBeforeTheKernelIsTouched() {
        Session session = new Session(layout, store.running());
        session.replaceCandidate(Config.EMPTY.withContainer(new Container("web", "nope", Ipv4.parse("10.0.1.2"))));
        assertThatThrownBy(() -> new CommitService(store, kernel, PrepareHook.NONE).commit(session, ""))
                .isInstanceOf(CommitException.class)
                .satisfies(e -> assertThat(((CommitException) e).details()).containsExactly(
                        "container web: bridge nope does not exist"));
        assertThat(kernel.log).isEmpty();
    }

    @Test
    void rollbackTargetIsAnOrdinaryCandidate() throws Exception {
        Session session = new Session(layout, store.running());
        CommitService commits = new CommitService(store, kernel, PrepareHook.NONE);
        session.replaceCandidate(oneBridge());
        commits.commit(session, "");
        kernel.base = true;
        session.edit(c -> c.withoutContainer("web"));
        commits.commit(session, "");
        kernel.log.clear();
        session.replaceCandidate(store.commit(1).orElseThrow().config());
        commits.commit(session, "rollback");
        assertThat(kernel.log).contains("ip netns add xnet.t.c.web", "ip -n xnet.t.c.web addr add 10.0.1.2/24 dev eth0");
        assertThat(store.running().generation()).isEqualTo(3);
        assertThat(Collections.frequency(kernel.log, "ip netns add xnet.t.host")).isZero();
    }

    @Test
    void anUndoThatFailsInPrepareIsReportedAndMarksTheTargetDrifted() throws Exception {
        Session session = new Session(layout, store.running());
        session.replaceCandidate(oneBridge());
        kernel.failOn = "ip -n xnet.t.host link set v-web master br1 up";
        kernel.failAlso = "ip netns del xnet.t.c.web";
        assertThatThrownBy(() -> new CommitService(store, kernel, PrepareHook.NONE).commit(session, ""))
                .isInstanceOf(CommitException.class)
                .satisfies(e -> assertThat(((CommitException) e).details())
                        .contains("UNDO WAS INCOMPLETE; the kernel may differ from the running config:")
                        .noneMatch(d -> d.contains("the kernel is as it was")));
        assertThat(store.drift).containsExactly(
                "ip netns del xnet.t.c.web: ip netns del xnet.t.c.web: RTNETLINK answers: File exists");
        assertThat(store.records).isEmpty();
    }
}
