package xnet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import xnet.app.Composition;
import xnet.app.Faults;
import xnet.app.Workspace;
import xnet.kernel.ClangCompiler;
import xnet.launch.LaunchOptions;
import xnet.plan.TargetLayout;
import xnet.profile.ProfileLibrary;
import xnet.service.TargetService;
import xnet.shell.ShellAssembly;
import xnet.shell.XnetShellRunner;
import xnet.shell.XnetVersion;

/** Starts xnet: options first (so --help needs no Spring), then the Spring Shell application. */
@SpringBootApplication
public class XnetApplication {

    public static void main(String[] args) {
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(List.of(args));
        } catch (IllegalArgumentException bad) {
            System.err.println("xnet: " + bad.getMessage());
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(LaunchOptions.USAGE);
            System.exit(0);
        }
        if (options.version()) {
            System.out.println("xnet " + XnetVersion.get());
            System.exit(0);
        }
        if (!isRoot()) {
            System.err.println("xnet: must run as root: it creates network namespaces and loads BPF programs"
                    + " (try: sudo ./xnet)");
            System.exit(2);
        }
        TargetLayout layout;
        try {
            layout = layout(options, Workspace.fromEnvironment());
        } catch (IllegalArgumentException | IOException bad) {
            System.err.println("xnet: " + bad.getMessage());
            System.exit(2);
            return;
        }
        if (options.file() != null || options.commands() != null) {
            // -c and -f need no terminal and no Spring: the same shell parts, wired by hand
            System.exit(runBatch(options, layout));
        }
        SpringApplication app = new SpringApplication(XnetApplication.class);
        app.addInitializers(context -> {
            context.getBeanFactory().registerSingleton("launchOptions", options);
            context.getBeanFactory().registerSingleton("targetLayout", layout);
        });
        // Spring sees no arguments: they are xnet's, already parsed above.
        ConfigurableApplicationContext context = app.run();
        int status = context.getBean(XnetShellRunner.class).exitStatus();
        context.close();
        System.exit(status);
    }

    static int runBatch(LaunchOptions options, TargetLayout layout) {
        Workspace workspace = Workspace.fromEnvironment();
        try {
            TargetService target = Composition.target(layout, workspace, Faults.fromEnvironment());
            return new ShellAssembly(target, Composition.profiles(workspace), Composition.compiler(workspace))
                    .runBatch(options);
        } catch (IOException unreadable) {
            System.err.println("xnet: " + unreadable.getMessage());
            return 1;
        }
    }

    /** The target's layout; a lab's network comes from its lab.json, or from the options that make it. */
    static TargetLayout layout(LaunchOptions options, Workspace workspace) throws IOException {
        if (options.host()) {
            return TargetLayout.realHost();
        }
        if (options.uplink() != null || options.underlay() != null) {
            // refused here, before lab.json keeps them
            TargetLayout.lab(options.lab(), xnet.plan.LabNetwork.of(options.uplink(), options.underlay()));
        }
        xnet.plan.LabNetwork network = new xnet.state.LabFile(workspace.stateDir(options.lab()))
                .resolve(options.lab(), options.uplink(), options.underlay());
        return TargetLayout.lab(options.lab(), network);
    }

    @Bean
    TargetService target(TargetLayout targetLayout) throws IOException {
        return Composition.target(targetLayout, Workspace.fromEnvironment(), Faults.fromEnvironment());
    }

    @Bean
    ClangCompiler compiler() {
        return Composition.compiler(Workspace.fromEnvironment());
    }

    @Bean
    ProfileLibrary profiles() {
        return Composition.profiles(Workspace.fromEnvironment());
    }

    static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("Uid:"))
                    .anyMatch(l -> l.split("\\s+")[2].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }
}
