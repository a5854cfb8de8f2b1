package xnet.shell.commands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import xnet.grammar.CommandSpec;
import xnet.grammar.Invocation;
import xnet.imports.IptablesImport;
import xnet.service.TargetService;
import xnet.shell.CommandDef;
import xnet.shell.CommandGroup;
import xnet.shell.Console;

/** Rules from other tools into the candidate: `import iptables`. */
public class ImportCommands implements CommandGroup {

    /** An iptables-save file larger than this is refused before it is read (a million rules is about 60 MB). */
    private static final long MAX_BYTES = 256L << 20;

    private final TargetService target;
    private final Path cwd;

    public ImportCommands(TargetService target, Path cwd) {
        this.target = target;
        this.cwd = cwd;
    }

    @Override
    public List<CommandDef> commands() {
        return List.of(CommandDef.edit(CommandSpec.of("import iptables", "<file:FILE> [--partial]",
                "replace the candidate's filter and NAT rules with those of an iptables-save file ('-': standard input)",
                "FORWARD's rules in order (user chains it jumps to read in place, with the jump's conditions),"
                        + " its policy as the default, PREROUTING's DNAT as static NAT. Lines with no xnet equivalent are listed with"
                        + " their number and the candidate is left unchanged, unless --partial imports the rest."),
                this::importIptables));
    }

    private int importIptables(Invocation in, Console console) throws Exception {
        String name = in.string("file");
        String text = name.equals("-") ? new String(console.input().readAll("import iptables -", MAX_BYTES),
                java.nio.charset.StandardCharsets.UTF_8) : readFile(name);
        if (name.equals("-")) {
            name = "standard input";
        }
        if (text.isBlank()) {
            // most likely a mistake (an empty pipe); taken as a file it would delete every rule
            throw new IllegalArgumentException("nothing to import: " + name + " is empty");
        }
        IptablesImport.Result result = IptablesImport.of(text, target.candidate());
        console.println("read " + name + ": " + result.filters().size() + " filter rule(s), default "
                + result.defaultAction() + ", " + result.nats().size() + " NAT rule(s)");
        result.notes().forEach(n -> console.println("note: " + n));
        if (!result.complete()) {
            console.warn(result.untranslated().size() + " line(s) not translated:");
            result.untranslated().forEach(u -> console.warn("  " + u.toString().replace("\n", "\n  ")));
            if (!in.flag("partial")) {
                console.error("nothing imported: the candidate is as it was ('--partial' imports the rest)");
                return 1;
            }
        }
        target.edit(result::applyTo);
        console.ok("the candidate's filter rules, default action and NAT rules are now the file's"
                + (result.complete() ? "" : ", without the lines above") + "; 'compare' shows the change");
        return 0;
    }

    private String readFile(String name) throws java.io.IOException {
        Path path = cwd.resolve(name);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("cannot read " + name + ": no such file");
        }
        if (Files.size(path) > MAX_BYTES) {
            throw new IllegalArgumentException(name + " is larger than " + (MAX_BYTES >> 20) + " MB");
        }
        return Files.readString(path);
    }
}
