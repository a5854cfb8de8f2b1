package xnet.shell;

import java.util.function.Supplier;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import xnet.grammar.Grammar;

/**
 * Commands that run other commands (`source`, `load profile`) or describe them (`help`) need the
 * dispatcher, which is built from all commands: they get it late, through a supplier.
 */
@Configuration
public class ShellWiring {

    @Bean
    Supplier<ScriptRunner> scriptRunnerSupplier(ObjectProvider<ScriptRunner> runner) {
        return runner::getObject;
    }

    @Bean
    Supplier<Grammar> grammarSupplier(ObjectProvider<Dispatcher> dispatcher) {
        return () -> dispatcher.getObject().grammar();
    }
}
