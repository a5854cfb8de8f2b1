package xnet.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import xnet.diff.FilterDelta;
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
import xnet.session.CommitException;
import xnet.session.CommitRecord;
import xnet.session.CommitService;
import xnet.session.CounterSnapshot;
import xnet.session.DatapathPort;
import xnet.session.DatapathState;
import xnet.session.FakeKernel;
import xnet.session.MemoryStateStore;
import xnet.session.PrepareHook;
import xnet.session.PreviewReport;
import xnet.session.RunningState;
import xnet.session.UndoIncompleteException;

/** The service's commit, preview, counters and status paths, over fake ports: no kernel. */
class LocalTargetServiceTest {

    /** Records what the service asks of the datapath; can fail an apply or leave a revert unfinished. */
    static final class FakeDatapath implements DatapathPort {
        final List<String> calls = new ArrayList<>();
        boolean failApply;
        List<String> revertLeaves = List.of();
        List<String> prepareLeaves;

        @Override
        public Prepared prepare(Config candidate, RunningState running, FilterDelta filters) {
            calls.add("prepare " + candidate.filters().size() + " rule(s)");
            if (prepareLeaves != null) {
                throw UndoIncompleteException.of(new IllegalStateException("attach v-web tc: no such device (ENODEV)"),
                        prepareLeaves);
            }
            return new Prepared() {
                @Override
                public DatapathState apply() {
                    calls.add("apply");
                    if (failApply) {
                        throw new IllegalStateException("swap program of v-web tc: no such device (ENODEV)");
                    }
                    return new DatapathState(null, Map.of("web", 7));
                }

                @Override
                public List<String> revert() {
                    calls.add("revert");
                    return revertLeaves;
                }

                @Override
                public void close() {
                    calls.add("close");
                }
            };
        }

        @Override
        public PreviewReport preview(Config candidate, RunningState running) {
            calls.add("preview");
            return new PreviewReport("map", "chosen", Map.of(), "", 1, 1, 0, 64,
                    List.of(new PreviewReport.Program("tc", "xnet_tc.c", true, "accepted", 10, 80, 60)));
        }

        @Override
        public CounterSnapshot counters(RunningState running) {
            calls.add("counters of commit " + running.generation());
            return new CounterSnapshot(List.of(new CounterSnapshot.RuleCount("default", "allow", 3, 300)), List.of());
        }

        @Override
        public List<String> attached() {
            return List.of("v-web+tc");
        }

        @Override
        public void removeAll() {
            calls.add("remove all");
        }
    }

    private final TargetLayout layout = TargetLayout.lab("t");
    private final FakeKernel kernel = new FakeKernel();
    private final MemoryStateStore store = new MemoryStateStore();
    private final FakeDatapath datapath = new FakeDatapath();

    private TargetPorts ports() {
        Validator validator = layout.validator();
        Editors editors = new Editors(new ConfigEditor(validator), new RuleEditor(validator));
        return new TargetPorts(layout, store, kernel, datapath,
                new CommitService(store, kernel, datapath, PrepareHook.NONE), editors);
    }

    private TargetService service() throws Exception {
        return ports().newSession();
    }

    @Test
    void aSessionWithoutChangesFollowsCommitsOfOthersAndOneWithChangesKeepsThem() throws Exception {
        TargetPorts ports = ports();
        TargetService idle = ports.newSession();
        TargetService editing = ports.newSession();
        TargetService committer = ports.newSession();
        editing.edit(c -> c.withBridge(new Bridge("br9", Cidr.parse("10.0.9.0/24"))));
        committer.edit(c -> webWithARule());
        committer.commit("");
        assertThat(idle.refresh()).isTrue();
        assertThat(idle.candidate().containers()).containsKey("web");
        assertThat(idle.hasChanges()).isFalse();
        assertThat(idle.refresh()).as("nothing new").isFalse();
        assertThat(editing.refresh()).isFalse();
        assertThat(editing.candidate().bridges()).containsOnlyKeys("br9");
    }

    private static Config webWithARule() {
        return Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.0.1.0/24")))
                .withContainer(new Container("web", "br1", Ipv4.parse("10.0.1.2")))
                .withFilters(List.of(new FilterRule(1, FilterRule.Action.DROP, Cidr.parse("10.9.0.0/16"), null, null,
                        null)));
    }

    @Test
    void commitPreparesAppliesRecordsAndReleases() throws Exception {
        TargetService service = service();
        service.edit(c -> webWithARule());
        assertThat(service.hasChanges()).isTrue();
        CommitRecord record = service.commit("first");
        assertThat(record.number()).isEqualTo(1);
        assertThat(datapath.calls).containsExactly("prepare 1 rule(s)", "apply", "close");
        assertThat(store.records).hasSize(1);
        assertThat(store.running().datapath().ifindexes()).containsEntry("web", 7);
        assertThat(service.hasChanges()).isFalse();
        assertThat(service.baseGeneration()).isEqualTo(1);
    }

    @Test
    void aFailedApplyIsRevertedAndNothingIsRecorded() throws Exception {
        TargetService service = service();
        service.edit(c -> webWithARule());
        datapath.failApply = true;
        assertThatThrownBy(() -> service.commit(""))
                .isInstanceOf(CommitException.class)
                .hasMessage("commit failed swapping programs")
                .satisfies(e -> assertThat(((CommitException) e).details())
                        .contains("the kernel is as it was before the commit"));
        assertThat(datapath.calls).containsExactly("prepare 1 rule(s)", "apply", "revert", "close");
        assertThat(store.records).isEmpty();
        assertThat(service.status().drift()).isEmpty();
        assertThat(service.hasChanges()).as("the edits are kept").isTrue();
    }

    @Test
    void aRevertThatCannotFinishSaysWhatIsLeftAndMarksTheTargetDrifted() throws Exception {
        TargetService service = service();
        service.edit(c -> webWithARule());
        datapath.failApply = true;
        datapath.revertLeaves = List.of("swap program of uplink tc back: bad file descriptor (EBADF)");
        assertThatThrownBy(() -> service.commit(""))
                .isInstanceOf(CommitException.class)
                .hasMessageContaining("UNDO WAS INCOMPLETE")
                .satisfies(e -> assertThat(((CommitException) e).details())
                        .contains("  swap program of uplink tc back: bad file descriptor (EBADF)")
                        .noneMatch(d -> d.contains("the kernel is as it was")));
        TargetStatus status = service.status();
        assertThat(status.drift()).containsExactly("swap program of uplink tc back: bad file descriptor (EBADF)");
        assertThat(status.links()).containsExactly("v-web+tc");
    }

    @Test
    void aPrepareWhoseOwnUndoCannotFinishMarksTheTargetDrifted() throws Exception {
        TargetService service = service();
        service.edit(c -> webWithARule());
        datapath.prepareLeaves = List.of("detach new link uplink+tc: operation not permitted (EPERM)");
        assertThatThrownBy(() -> service.commit(""))
                .isInstanceOf(CommitException.class)
                .hasMessage("commit failed preparing the BPF programs; UNDO WAS INCOMPLETE")
                .satisfies(e -> assertThat(((CommitException) e).details())
                        .contains("attach v-web tc: no such device (ENODEV)",
                                "  detach new link uplink+tc: operation not permitted (EPERM)"));
        assertThat(service.status().drift()).containsExactly("detach new link uplink+tc: operation not permitted (EPERM)");
        assertThat(store.records).isEmpty();
    }

    @Test
    void aFailedRecordTakesTheSwapBack() throws Exception {
        TargetService service = service();
        service.edit(c -> webWithARule());
        store.failWrites = true;
        assertThatThrownBy(() -> service.commit("")).isInstanceOf(CommitException.class)
                .hasMessage("commit failed while recording the running state");
        assertThat(datapath.calls).containsExactly("prepare 1 rule(s)", "apply", "revert", "close");
    }

    @Test
    void checkVerifiesProgramsOnlyWhenTheCandidateNeedsThem() throws Exception {
        TargetService service = service();
        service.edit(c -> webWithARule().withFilters(List.of()));
        CommitCheck plain = service.check();
        assertThat(plain.programs()).isNull();
        assertThat(plain.programsVerified()).isTrue();
        assertThat(plain.changes().summary()).isEqualTo("+2 ~0 -0");
        service.edit(c -> webWithARule());
        CommitCheck withRules = service.check();
        assertThat(withRules.programs().strategy()).isEqualTo("map");
        assertThat(datapath.calls).containsExactly("preview");
        assertThat(store.records).as("a check commits nothing").isEmpty();
    }

    @Test
    void previewAndCountersComeFromTheDatapath() throws Exception {
        TargetService service = service();
        service.edit(c -> webWithARule());
        service.commit("");
        assertThat(service.preview().allVerified()).isTrue();
        assertThat(service.counters().rules()).extracting(CounterSnapshot.RuleCount::packets).containsExactly(3L);
        assertThat(datapath.calls).endsWith("preview", "counters of commit 1");
    }

    @Test
    void destroyKeepsTheCandidateAndForgetsTheRunningState() throws Exception {
        TargetService service = service();
        service.edit(c -> webWithARule());
        service.commit("");
        service.destroy();
        assertThat(kernel.log).contains("destroy");
        assertThat(datapath.calls).contains("remove all");
        assertThat(store.records).isEmpty();
        assertThat(service.baseGeneration()).isZero();
        assertThat(service.candidate().containers()).containsOnlyKeys("web");
    }

    @Test
    void rollbackMakesAnOldCommitTheCandidate() throws Exception {
        TargetService service = service();
        service.edit(c -> webWithARule());
        service.commit("one");
        service.edit(c -> c.withFilters(List.of()));
        service.commit("two");
        assertThat(service.rollback(1).summary()).isEqualTo("+1 ~0 -0");
        assertThat(service.candidate().filters()).hasSize(1);
        assertThatThrownBy(() -> service.rollback(9)).hasMessageContaining("no commit 9");
    }

    @Test
    void aRollbackCommitSaysWhereItWentBackToUnlessGivenAComment() throws Exception {
        TargetService service = service();
        service.edit(c -> webWithARule());
        service.commit("one");
        service.edit(c -> c.withFilters(List.of()));
        service.commit("two");
        service.rollback(1);
        assertThat(service.commit("").comment()).isEqualTo("rollback to commit 1");
        service.rollback(2);
        service.edit(c -> c.withBridge(new Bridge("br9", Cidr.parse("10.0.9.0/24"))));
        assertThat(service.commit("").comment()).isEqualTo("rollback to commit 2, and edits");
        service.rollback(1);
        assertThat(service.commit("mine").comment()).isEqualTo("mine");
        service.edit(c -> c.withBridge(new Bridge("br8", Cidr.parse("10.0.8.0/24"))));
        assertThat(service.commit("").comment()).as("only the commit after a rollback").isEmpty();
    }

    @Test
    void rebaseReplaysEditsOnTheNewestRunningConfigOrListsConflicts() throws Exception {
        TargetPorts ports = ports();
        TargetService mine = ports.newSession();
        TargetService other = ports.newSession();
        mine.edit(c -> c.withBridge(new Bridge("br9", Cidr.parse("10.0.9.0/24"))));
        other.edit(c -> webWithARule());
        other.commit("");
        assertThat(mine.rebase().merged()).isTrue();
        assertThat(mine.baseGeneration()).isEqualTo(1);
        assertThat(mine.candidate().bridges()).containsOnlyKeys("br1", "br9");
        assertThat(mine.changes().summary()).isEqualTo("+1 ~0 -0");

        other.edit(c -> c.withBridge(new Bridge("br9", Cidr.parse("10.0.19.0/24"))));
        other.commit("");
        xnet.diff.Rebase.Result clash = mine.rebase();
        assertThat(clash.merged()).isFalse();
        assertThat(clash.conflicts()).isNotEmpty();
        assertThat(mine.baseGeneration()).as("nothing changed").isEqualTo(1);
    }

    @Test
    void execRefusesContainersThatAreNotRunning() throws Exception {
        TargetService service = service();
        service.edit(c -> webWithARule());
        assertThatThrownBy(() -> service.exec("web", List.of("true"), false, null, System.out, System.err))
                .hasMessageContaining("it is in the candidate: commit first");
        service.commit("");
        kernel.base = true;
        assertThat(service.exec("web", List.of("true"), false, null, System.out, System.err)).isZero();
        assertThat(kernel.log).contains("exec xnet.t.c.web true");
    }
}
