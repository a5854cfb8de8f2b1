package xnet.shell;

/** The prompt's session in this process (--no-daemon): the shell's own parts. */
public final class LocalLineSession implements LineSession {

    private final ShellAssembly shell;
    private final Console console;
    private final GrammarCompleter.Suggester suggester;

    public LocalLineSession(ShellAssembly shell, Console console) {
        this.shell = shell;
        this.console = console;
        shell.control().setInteractive(true);
        xnet.grammar.Completion completion = new xnet.grammar.Completion(shell.dispatcher().grammar());
        this.suggester = (done, partial) -> completion.complete(done, partial, shell.values());
    }

    @Override
    public String greeting() {
        return Prompt.greeting(shell.target());
    }

    @Override
    public String prompt() {
        return Prompt.of(shell.target());
    }

    @Override
    public void runLine(String line) throws java.io.IOException {
        shell.target().refresh();
        shell.target().notices().forEach(n -> console.warn("xnet: " + n));
        if (line.length() > ScriptText.MAX_LINE) {
            ErrorReporter.report(ScriptText.tooLong(null), null, console); // as xnetd says it
            return;
        }
        shell.scripts().runLine(line, null, console, false);
    }

    @Override
    public void interrupt() {
        console.foreground().interrupt();
    }

    @Override
    public boolean exitRequested() {
        return shell.control().exitRequested();
    }

    @Override
    public GrammarCompleter.Suggester suggester() {
        return suggester;
    }
}
