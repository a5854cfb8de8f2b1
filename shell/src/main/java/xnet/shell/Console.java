package xnet.shell;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.fusesource.jansi.Ansi;

/**
 * Where commands write. Colour is used only when output goes to a terminal (and NO_COLOR is not
 * set); {@code terminal} also tells `exec` it may hand the terminal to the child.
 */
public final class Console {

    private final PrintStream out;
    private final PrintStream err;
    private final boolean colour;
    private final boolean terminal;
    private final Handoff handoff;
    private final Foreground foreground = new Foreground();
    private volatile StandardInput input = StandardInput.TERMINAL;

    /** Runs a command on the user's terminal when that terminal is in another process (xnetd's client). */
    public interface Handoff {
        int run(List<String> command) throws IOException;
    }

    public Console(OutputStream out, OutputStream err, boolean colour, boolean terminal) {
        this(out, err, colour, terminal, null);
    }

    public Console(OutputStream out, OutputStream err, boolean colour, boolean terminal, Handoff handoff) {
        this.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        this.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        this.colour = colour;
        this.terminal = terminal;
        this.handoff = handoff;
    }

    /** The command running now, as far as Ctrl-C may stop it. */
    public Foreground foreground() {
        return foreground;
    }

    /** Where a command reads a file named "-"; the terminal's (refused) unless set. */
    public StandardInput input() {
        return input;
    }

    public Console withInput(StandardInput source) {
        this.input = source;
        return this;
    }

    /** Null unless commands that want the terminal must hand their command line to the client. */
    public Handoff handoff() {
        return handoff;
    }

    public static Console system(boolean interactive) {
        boolean tty = System.console() != null;
        boolean colour = tty && System.getenv("NO_COLOR") == null && !"dumb".equals(System.getenv("TERM"));
        return new Console(System.out, System.err, colour, tty && interactive);
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public boolean colour() {
        return colour;
    }

    public boolean terminal() {
        return terminal;
    }

    public void println(String text) {
        out.println(text);
    }

    public void ok(String text) {
        out.println(paint(text, Ansi.Color.GREEN, false));
    }

    public void heading(String text) {
        out.println(colour ? Ansi.ansi().bold().a(text).reset().toString() : text);
    }

    public void warn(String text) {
        err.println(paint(text, Ansi.Color.YELLOW, false));
    }

    public void error(String text) {
        err.println(paint(text, Ansi.Color.RED, true));
    }

    private String paint(String text, Ansi.Color color, boolean bold) {
        if (!colour) {
            return text;
        }
        Ansi ansi = Ansi.ansi();
        if (bold) {
            ansi = ansi.bold();
        }
        return ansi.fg(color).a(text).reset().toString();
    }
}
