package xnet.shell;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import xnet.kernel.ClangCompiler;
import xnet.profile.ProfileLibrary;
import xnet.service.TargetService;

/** The interactive shell's beans: the parts of the one {@link ShellAssembly} that `-c` and `-f` use without Spring. */
@Configuration
public class ShellWiring {

    @Bean
    ShellAssembly shellAssembly(TargetService target, ProfileLibrary profiles, ClangCompiler compiler) {
        return new ShellAssembly(target, profiles, compiler);
    }

    @Bean
    ScriptRunner scriptRunner(ShellAssembly shell) {
        return shell.scripts();
    }

    @Bean
    Dispatcher dispatcher(ShellAssembly shell) {
        return shell.dispatcher();
    }

    @Bean
    SessionValues sessionValues(ShellAssembly shell) {
        return shell.values();
    }

    @Bean
    ShellControl shellControl(ShellAssembly shell) {
        return shell.control();
    }
}
