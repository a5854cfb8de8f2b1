package xnet.app;

import java.io.IOException;

import xnet.bpf.Bpf;
import xnet.daemon.RunFiles;
import xnet.state.CniFiles;
import xnet.bpf.BpfDatapath;
import xnet.kernel.ClangCompiler;
import xnet.kernel.IpKernel;
import xnet.kernel.TablesDatapath;
import xnet.model.ConfigEditor;
import xnet.model.RuleEditor;
import xnet.model.Validator;
import xnet.plan.TargetLayout;
import xnet.profile.ProfileLibrary;
import xnet.service.Editors;
import xnet.service.TargetPorts;
import xnet.service.TargetService;
import xnet.session.CombinedDatapath;
import xnet.session.CommitService;
import xnet.state.FileStateStore;

/**
 * The one place that picks the adapters: the shell, the bench and the tests build targets here.
 * The libbpf binding is loaded on the first BPF call, so a command that needs none never pays
 * for it.
 */
public final class Composition {

    private Composition() {
    }

    /**
     * One session on a target of its own: what a one-process front end, the bench and tests use.
     * A commit that a killed process left half done is settled first; {@code settled} hears what
     * was done.
     */
    public static TargetService target(TargetLayout layout, Workspace workspace, Faults faults,
                                       java.util.function.Consumer<String> settled) throws Exception {
        TargetPorts ports = ports(layout, workspace, faults);
        String done = ports.settle();
        if (done != null) {
            settled.accept(done);
        }
        return ports.newSession();
    }

    public static TargetService target(TargetLayout layout, Workspace workspace, Faults faults) throws Exception {
        return target(layout, workspace, faults, done -> { });
    }

    /** A target's shared ports, for xnetd to open a session on per client. */
    public static TargetPorts ports(TargetLayout layout, Workspace workspace, Faults faults) {
        FileStateStore store = new FileStateStore(workspace.stateDir(layout.name()));
        IpKernel kernel = new IpKernel(layout);
        CombinedDatapath datapath = new CombinedDatapath(
                new BpfDatapath(layout, compiler(workspace), Bpf::load, faults.datapath()), new TablesDatapath(layout));
        Validator validator = layout.validator();
        Editors editors = new Editors(new ConfigEditor(validator), new RuleEditor(validator));
        return new TargetPorts(layout, store, kernel, datapath,
                new CommitService(store, kernel, datapath, faults.prepare()), editors);
    }

    /** clang on the checkout's bpf/ sources, with compiled objects cached under XNET_HOME. */
    public static ClangCompiler compiler(Workspace workspace) {
        return new ClangCompiler(workspace.root().resolve("bpf"), workspace.home().resolve("cache"));
    }

    /** The CNI plugin (the built C client) and the socket of the target's xnetd, for `cni install`. */
    public static CniFiles cniFiles(Workspace workspace, TargetLayout layout) {
        return new CniFiles(workspace.root().resolve("shell/target/xnet-client"),
                new RunFiles(workspace.run(), layout.name()).socket());
    }

    public static ProfileLibrary profiles(Workspace workspace) {
        return new ProfileLibrary(workspace.shippedProfiles(), workspace.savedProfiles());
    }
}
