package xnet.render;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import xnet.grammar.CommandSpec;
import xnet.grammar.Grammar;
import xnet.launch.LaunchOptions;
import xnet.shell.ShellAssembly;

class ManPageTest {

    @Test
    void theManPageHasEveryCommandOfTheGrammarAndTheLauncherOptions() {
        Grammar grammar = ShellAssembly.grammar();
        String page = ManPage.render(grammar, LaunchOptions.USAGE, "0.1.0");
        assertThat(page).startsWith(".TH XNET 1").contains(".SH SYNOPSIS", ".SH COMMANDS", "XNET_HOME");
        assertThat(grammar.specs()).hasSizeGreaterThan(40);
        for (CommandSpec spec : grammar.specs()) {
            assertThat(page).as(spec.name()).contains(".B " + ManPage.escape(spec.usage()) + "\n");
        }
        assertThat(page).contains("\\-\\-lab NAME");
        assertThat(page.lines().filter(l -> l.startsWith(".") && !l.matches("\\.(TH|SH|TP|B|br|nf|fi)( .*)?")))
                .as("no text line begins with a dot").isEmpty();
    }
}
