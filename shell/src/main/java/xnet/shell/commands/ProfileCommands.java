package xnet.shell.commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import java.util.function.Supplier;


import xnet.grammar.CommandSpec;
import xnet.grammar.Invocation;
import xnet.model.Config;
import xnet.profile.ProfileLibrary;
import xnet.render.ConfigRenderer;
import xnet.render.Table;
import xnet.service.TargetService;
import xnet.shell.CommandDef;
import xnet.shell.CommandGroup;
import xnet.shell.Console;
import xnet.shell.ScriptRunner;
import xnet.state.Json;

/**
 * Batch files and profiles. `source` runs every line as typed, commits included. `load profile`
 * replaces the candidate with what the profile's configuration lines build and runs nothing else
 * (no commit, no exec), so loading is always safe to look at before committing.
 */
public class ProfileCommands implements CommandGroup {

    private final TargetService target;
    private final ProfileLibrary profiles;
    private final Supplier<ScriptRunner> runner;
    private final Path cwd;

    /** {@code cwd}: the user's working directory, where `source` finds a relative file. */
    public ProfileCommands(TargetService target, ProfileLibrary profiles, Supplier<ScriptRunner> runner, Path cwd) {
        this.target = target;
        this.profiles = profiles;
        this.runner = runner;
        this.cwd = cwd;
    }

    @Override
    public List<CommandDef> commands() {
        return List.of(
                CommandDef.of(CommandSpec.of("source", "<file:FILE>",
                        "run the commands of a file here, stopping at the first error"), this::source),
                CommandDef.of(CommandSpec.of("save profile", "<name:NAME> [--force]",
                        "save the candidate as a profile: the commands that build it, then commit"), this::save),
                CommandDef.of(CommandSpec.of("load profile", "<name:PROFILE>",
                        "make the candidate what a profile configures (its commit and exec lines are not run)"),
                        this::load),
                CommandDef.of(CommandSpec.of("show profiles", "[--json]", "list shipped and saved profiles"),
                        this::list));
    }

    private int source(Invocation in, Console console) throws Exception {
        return runner.get().run(ScriptRunner.Source.file(cwd, in.string("file")), console, false);
    }

    private int save(Invocation in, Console console) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("# saved by xnet from lab " + target.layout().name());
        lines.addAll(ConfigRenderer.commands(target.candidate()));
        lines.add("commit");
        var path = profiles.save(in.string("name"), lines, in.flag("force"));
        console.ok("profile " + in.string("name") + " saved to " + path);
        return 0;
    }

    private int load(Invocation in, Console console) throws Exception {
        String name = in.string("name");
        ProfileLibrary.Profile profile = profiles.find(name).orElseThrow(() -> new IllegalArgumentException(
                "no profile named " + name + "; 'show profiles' lists them"));
        Config before = target.candidate();
        target.replaceCandidate(Config.EMPTY);
        int status = runner.get().run(ScriptRunner.Source.file(profile.path().toString()), console, true);
        if (status != 0) {
            target.replaceCandidate(before);
            console.error("profile " + name + " not loaded; the candidate is unchanged");
            return status;
        }
        console.ok("loaded profile " + name + " (" + profile.origin() + ") into the candidate; 'compare' shows the changes");
        return 0;
    }

    private int list(Invocation in, Console console) throws Exception {
        List<ProfileLibrary.Profile> all = profiles.list();
        if (in.flag("json")) {
            console.println(Json.pretty(all.stream().map(p -> {
                java.util.Map<String, Object> view = new java.util.LinkedHashMap<>();
                view.put("name", p.name());
                view.put("origin", p.origin());
                view.put("path", p.path().toString());
                return view;
            }).toList()));
            return 0;
        }
        Table table = new Table("PROFILE", "ORIGIN", "PATH");
        all.forEach(p -> table.row(p.name(), p.origin(), p.path()));
        console.println(table.isEmpty() ? "no profiles" : table.render());
        return 0;
    }
}
