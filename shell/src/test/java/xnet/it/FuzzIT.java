package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import xnet.app.Composition;
import xnet.app.Faults;
import xnet.app.Workspace;
import xnet.grammar.Tokenizer;
import xnet.model.Config;
import xnet.plan.TargetLayout;
import xnet.service.TargetService;
import xnet.shell.Console;
import xnet.shell.ShellAssembly;

/**
 * 10,000 generated command lines ({@link CommandFuzzer}) through the real front ends on a
 * running lab: 5,000 with {@code -c} and 5,000 in scripts on {@code -f -} (a refused line ends
 * its script; the next script starts after it). Each run ends 0 when every line was taken and 1
 * with exactly one error line when one was refused, never with a stack trace, and the running
 * config, its files and the kernel are unchanged at the end. The same 10,000 lines also run in
 * a session in this process, where every refused statement must leave the candidate as it was.
 */
class FuzzIT extends LabTest {

    private static final String LAB = "itfuzz";
    private static final int LINES = Integer.getInteger("xnet.fuzzLines", 10_000);
    private static final String SETUP = "bridge add br1 10.0.1.0/24; bridge add br2 10.0.2.0/24; "
            + "container add web --bridge br1; container add db --bridge br2; filter add drop from 10.9.0.0/16; "
            + "filter add allow proto tcp port 80; nat add 10.0.0.1:80 -> 10.0.1.2:8080; commit";


    @Override
    protected String lab() {
        return LAB;
    }


    @Test
    void generatedLinesGetOneLineRefusalsAndChangeNothingRunning() throws Exception {
        Xnet.Result setup = xnet.c(SETUP);
        assertThat(setup.status()).as(setup.all()).isZero();
        String kernelBefore = Kernel.snapshot(LAB).toString();
        Map<String, String> stateBefore = stateFiles();
        // a failure prints its seed; -Dxnet.fuzzSeed=SEED runs the same lines again
        long seed = Long.getLong("xnet.fuzzSeed", System.nanoTime());
        System.out.println("fuzz seed " + seed + " (again: -Dxnet.fuzzSeed=" + seed + ")");

        List<String> commandLines = new ArrayList<>();
        List<byte[]> scriptLines = new ArrayList<>();
        CommandFuzzer fuzzer = new CommandFuzzer(seed);
        for (int i = 0; i < LINES / 2; i++) {
            commandLines.add(fuzzer.commandLine());
            scriptLines.add(fuzzer.scriptLine());
        }

        int refusedInSession = inThisProcess(commandLines, scriptLines);
        int refusedWithC = withC(commandLines);
        int[] scripts = withScripts(scriptLines);

        System.out.printf("fuzz: %d lines in a session (%d refused), %d with -c (%d refused), %d on -f - in %d scripts "
                + "(%d refused)%n", LINES, refusedInSession, commandLines.size(), refusedWithC, scriptLines.size(),
                scripts[0], scripts[1]);
        assertThat(refusedWithC).as("refusals among the -c lines").isGreaterThan(LINES / 20);
        assertThat(commandLines.size() - refusedWithC).as("lines taken among the -c lines").isGreaterThan(LINES / 20);
        assertThat(scripts[1]).as("refusals among the -f - lines").isGreaterThan(LINES / 20);
        assertThat(stateFiles()).as("the running config's files").isEqualTo(stateBefore);
        assertThat(Kernel.snapshot(LAB).toString()).as("the kernel").isEqualTo(kernelBefore);
        assertThat(xnet.c("show running").status()).as("xnetd still serves").isZero();
    }

    /**
     * The kernel takes at most 128 KiB in one argument (MAX_ARG_STRLEN): exec refuses a longer
     * one (E2BIG) before any xnet code runs, so such a line cannot be a -c at all. The fuzzer
     * makes one now and then by repeating a token thousands of times; the session and the -f -
     * scripts still take it.
     */
    private static final int MAX_ARGUMENT = 128 * 1024 - 1;

    /** Each line as one -c of the C client (xnetd's fast path). Returns how many were refused. */
    private int withC(List<String> lines) throws Exception {
        int refused = 0;
        for (String line : lines) {
            if (line.getBytes(StandardCharsets.UTF_8).length > MAX_ARGUMENT) {
                System.out.println("fuzz: a line of " + line.length() + " characters is too long for one argument: not"
                        + " sent with -c");
                continue;
            }
            Run run = client(null, "--lab", LAB, "-c", line);
            check(run, "-c " + printable(line));
            refused += run.status == 0 ? 0 : 1;
        }
        return refused;
    }

    /**
     * The lines as scripts on -f -: a refused line ends one, the next starts after it. A line
     * that is not UTF-8 goes alone: a script is decoded whole before its first line runs, so it
     * would refuse the lines before it unrun. Returns {scripts, refused}.
     */
    private int[] withScripts(List<byte[]> lines) throws Exception {
        int scripts = 0;
        int refused = 0;
        int next = 0;
        while (next < lines.size()) {
            ByteArrayOutputStream script = new ByteArrayOutputStream();
            int end = next;
            do {
                script.write(lines.get(end));
                script.write('\n');
                end++;
            } while (end < lines.size() && utf8(lines.get(next)) && utf8(lines.get(end)));
            Run run = client(script.toByteArray(), "--lab", LAB, "-f", "-");
            scripts++;
            check(run, "-f - from line " + (next + 1));
            if (run.status == 0) {
                next = end;
                continue;
            }
            refused++;
            // the error line (warnings of lines taken before it may come first)
            java.util.regex.Matcher at = java.util.regex.Pattern.compile("(?m)^<stdin>:(\\d+)").matcher(run.err);
            assertThat(at.find()).as("a script's refusal names its line: " + run.err).isTrue();
            next += Integer.parseInt(at.group(1));
        }
        return new int[] {scripts, refused};
    }

    private static boolean utf8(byte[] line) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(line));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /**
     * Every line in one session of this process (what -c and -f - run): a refused statement
     * leaves the candidate as it was. Returns how many lines were refused.
     */
    private int inThisProcess(List<String> commandLines, List<byte[]> scriptLines) throws Exception {
        Workspace workspace = new Workspace(xnet.home, Xnet.ROOT);
        TargetLayout layout = TargetLayout.lab(LAB);
        TargetService target = Composition.target(layout, workspace, Faults.NONE);
        ShellAssembly shell = new ShellAssembly(target, Composition.profiles(workspace), Composition.compiler(workspace),
                Composition.cniFiles(workspace, layout), Path.of(""));
        List<String> all = new ArrayList<>(commandLines);
        scriptLines.forEach(b -> all.add(new String(b, StandardCharsets.UTF_8)));
        int refused = 0;
        int generation = target.running().generation();
        for (int i = 0; i < all.size(); i++) {
            String line = all.get(i);
            if (i % 200 == 0) {
                target.discard();
            }
            Config before = target.candidate();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Console console = new Console(out, err, false, false);
            int status = shell.scripts().runLine(line, null, console, false);
            Run run = new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
            check(run, "in a session: " + printable(line));
            if (status != 0) {
                refused++;
                if (singleStatement(line)) {
                    assertThat(target.candidate().sameAs(before)).as("a refused line changed the candidate: "
                            + printable(line) + "\n" + run.err).isTrue();
                }
            }
        }
        assertThat(target.running().generation()).isEqualTo(generation);
        return refused;
    }

    private static boolean singleStatement(String line) {
        try {
            return Tokenizer.statements(line).size() <= 1;
        } catch (RuntimeException unparsable) {
            return true; // refused before any statement ran
        }
    }

    private record Run(int status, String out, String err) {
    }

    /** The exit status fits the output: 0 without an error line, 1 with exactly one (and any warnings); never a stack trace. */
    private static void check(Run run, String what) {
        String all = run.out + run.err;
        assertThat(all).as(what + ": no stack trace\n" + all).doesNotContain("\tat ", "Exception", "java.lang.");
        if (run.status == 0) {
            assertThat(run.err).as(what + ": taken, yet an error\n" + run.err).doesNotContain("error:");
        } else {
            assertThat(run.status).as(what + "\n" + all).isEqualTo(1);
            // warnings of lines that were taken before (a rule that can never match) may come first
            assertThat(run.err.lines().filter(l -> !l.startsWith("warning: ")).toList())
                    .as(what + ": one error line\n" + run.err).hasSize(1);
        }
    }

    private Run client(byte[] stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Xnet.ROOT.resolve("shell/target/xnet-client").toString()));
        command.addAll(List.of(args));
        Xnet.Result result = xnet.execWithInput(command, Map.of(), stdin);
        assertThat(result.status()).as("the client found xnetd").isNotIn(64, 75);
        return new Run(result.status(), result.out(), result.err());
    }

    /** running.json and the history files, by name. */
    private Map<String, String> stateFiles() throws Exception {
        Path state = xnet.home.resolve("targets").resolve(LAB);
        Map<String, String> files = new TreeMap<>();
        files.put("running.json", Files.readString(state.resolve("running.json")));
        try (var history = Files.list(state.resolve("history"))) {
            for (Path file : history.toList()) {
                files.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        return files;
    }

    private static String printable(String line) {
        String shown = line.length() > 200 ? line.substring(0, 200) + "..." : line;
        return shown.codePoints().mapToObj(c -> c < 0x20 ? String.format("\\x%02x", c) : Character.toString(c))
                .reduce("", String::concat);
    }
}
