package xnet.shell;

import java.io.IOException;

import xnet.kernel.IpKernel;
import xnet.model.ConfigEditor;
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

    public Target(TargetLayout layout, Workspace workspace, PrepareHook hook) throws IOException {
        this.layout = layout;
        this.store = new FileStateStore(workspace.stateDir(layout.name()));
        this.session = new Session(layout, store.running());
        this.editor = new ConfigEditor(new Validator(layout.reservedSubnets()));
        this.commits = new CommitService(store, new IpKernel(layout), hook);
        this.profiles = new ProfileLibrary(workspace.shippedProfiles(), workspace.savedProfiles());
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
