package xnet.render;

import java.util.List;

import xnet.grammar.CommandSpec;
import xnet.grammar.Grammar;

/**
 * xnet(1), written from the grammar that drives `help` and the launcher's usage text, so the man
 * page cannot fall behind the commands. The launcher installs it after each build.
 */
public final class ManPage {

    private ManPage() {
    }

    public static String render(Grammar grammar, String usage, String version) {
        StringBuilder out = new StringBuilder();
        out.append(".TH XNET 1 \"\" \"xnet ").append(escape(version)).append("\" \"User Commands\"\n");
        out.append(".SH NAME\nxnet \\- container networking on eBPF (tc and XDP), an interactive shell and its daemon\n");
        out.append(".SH SYNOPSIS\n.nf\n");
        List<String> lines = usage.strip().lines().toList();
        int body = 0;
        while (body < lines.size() && !lines.get(body).isBlank()) {
            out.append(escape(lines.get(body).replaceFirst("^usage: ", "").strip())).append('\n');
            body++;
        }
        out.append(".fi\n.SH DESCRIPTION\n.nf\n");
        for (String line : lines.subList(body, lines.size())) {
            out.append(escape(line)).append('\n');
        }
        out.append(".fi\n.SH COMMANDS\nAt the xnet> prompt, in -c and in -f files. A unique prefix of a word stands for it;"
                + " ? lists what may come next; Tab completes.\n");
        for (CommandSpec spec : grammar.specs()) {
            out.append(".TP\n.B ").append(escape(spec.usage())).append('\n').append(escape(spec.summary())).append('\n');
            if (!spec.details().isEmpty()) {
                out.append(".br\n").append(escape(spec.details()).replace("\n", "\n.br\n")).append('\n');
            }
        }
        out.append(".SH FILES\n.TP\n/var/lib/xnet (XNET_HOME)\nstate, commit history and saved profiles of each target\n"
                + ".TP\n/run/xnet (XNET_RUN)\nthe daemons' sockets, pid files and logs\n"
                + ".TP\n/sys/fs/bpf/xnet\nthe pinned programs, maps and links of each target\n");
        out.append(".SH SEE ALSO\nip(8), tc(8), nft(8), bpftool(8)\n");
        return out.toString();
    }

    /** roff: a backslash is doubled, and a line may not begin with a dot or a quote. */
    static String escape(String text) {
        String escaped = text.replace("\\", "\\\\").replace("-", "\\-");
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }
}
