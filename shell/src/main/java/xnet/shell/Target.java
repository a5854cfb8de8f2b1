package xnet.shell;

import java.io.IOException;

import xnet.bpf.BpfDatapath;
import xnet.kernel.ClangCompiler;
import xnet.kernel.IpKernel;
import xnet.kernel.TablesDatapath;
import xnet.session.CombinedDatapath;
import xnet.model.ConfigEditor;
import xnet.model.RuleEditor;
import xnet.model.Validator;
import xnet.plan.TargetLayout;
import xnet.profile.ProfileLibrary;
import xnet.session.CommitService;
import xnet.session.PrepareHook;
import xnet.session.Session;
import xnet.state.FileStateStore;

/** Everything one shell works on: the target's layout, its state, the session and the commit service. */
public final class Target {

    private final TargetLayout layout;
    private final FileStateStore store;
    private final Session session;
    private final ConfigEditor editor;
    private final CommitService commits;
    private final ProfileLibrary profiles;
    private final RuleEditor rules;
    private final ClangCompiler compiler;

    public Target(TargetLayout layout, Workspace workspace, PrepareHook hook) throws IOException {
        this.layout = layout;
        this.store = new FileStateStore(workspace.stateDir(layout.name()));
        this.session = new Session(layout, store.running());
        this.editor = new ConfigEditor(new Validator(layout.reservedSubnets()));
        this.rules = new RuleEditor(layout.reservedSubnets(), layout.outsideAddress());
        this.compiler = new ClangCompiler(workspace.root().resolve("bpf"), workspace.home().resolve("cache"));
        this.commits = new CommitService(store, new IpKernel(layout),
                new CombinedDatapath(new BpfDatapath(layout, compiler), new TablesDatapath(layout)), hook);
        this.profiles = new ProfileLibrary(workspace.shippedProfiles(), workspace.savedProfiles());
    }

    public RuleEditor rules() {
        return rules;
    }

    public ClangCompiler compiler() {
        return compiler;
    }

    public TargetLayout layout() {
        return layout;
    }

    public FileStateStore store() {
        return store;
    }

    public Session session() {
        return session;
    }

    public ConfigEditor editor() {
        return editor;
    }

    public CommitService commits() {
        return commits;
    }

    public ProfileLibrary profiles() {
        return profiles;
    }
}
