package xnet.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import xnet.session.KernelException;

/**
 * Compiles bpf/*.c with a generated config header. Objects are cached by a hash of the sources
 * and the header: the map strategy's header does not change with the rules, so most commits
 * compile nothing.
 */
public final class ClangCompiler {

    private static final List<String> CANDIDATES = List.of("clang-16", "clang-19", "clang");

    private final Path bpfDir;
    private final Path cacheDir;
    private final String clang;

    public ClangCompiler(Path bpfDir, Path cacheDir) {
        this.bpfDir = bpfDir;
        this.cacheDir = cacheDir;
        this.clang = CANDIDATES.stream().filter(ClangCompiler::onPath).findFirst().orElse(null);
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Returns the ELF object of {@code source} (e.g. "xnet_tc.c") built with the header. */
    public byte[] compile(String source, String header) {
        if (clang == null) {
            throw new KernelException("compile " + source + ": no clang found (tried " + CANDIDATES + ")");
        }
        try {
            String key = hash(source, header);
            Path cached = cacheDir.resolve(key + ".o");
            if (Files.exists(cached)) {
                return Files.readAllBytes(cached);
            }
            Files.createDirectories(cacheDir);
            Path headerFile = Files.createTempFile(cacheDir, "config-", ".h");
            Path object = Files.createTempFile(cacheDir, "obj-", ".o");
            try {
                Files.writeString(headerFile, header);
                List<String> command = new ArrayList<>(List.of(clang));
                command.addAll(flags());
                Path multiarch = Path.of("/usr/include/x86_64-linux-gnu");
                if (Files.isDirectory(multiarch)) {
                    command.add("-I" + multiarch);
                }
                command.addAll(List.of("-DXNET_CONFIG_HEADER=\"" + headerFile + "\"", "-c",
                        bpfDir.resolve(source).toString(), "-o", object.toString()));
                ProcessRunner.Result result = ProcessRunner.capture(command);
                if (result.status() != 0) {
                    throw new KernelException("compile " + source + " failed:\n" + firstErrors(result.err()));
                }
                Files.move(object, cached, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                return Files.readAllBytes(cached);
            } finally {
                Files.deleteIfExists(headerFile);
                Files.deleteIfExists(object);
            }
        } catch (IOException e) {
            throw new KernelException("compile " + source + ": " + e.getMessage(), e);
        }
    }

    /** bpf/clang.flags: the flags bpf/build.sh uses too, one per line, # for comments. */
    private List<String> flags() throws IOException {
        return Files.readAllLines(bpfDir.resolve("clang.flags")).stream().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /** The compiler's error lines with their context, at most 20 lines. */
    static String firstErrors(String stderr) {
        List<String> lines = stderr.lines().toList();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size() && out.size() < 20; i++) {
            if (lines.get(i).contains("error")) {
                out.addAll(lines.subList(i, Math.min(lines.size(), i + 3)));
            }
        }
        return String.join("\n", out.isEmpty() ? lines.subList(0, Math.min(20, lines.size())) : out);
    }

    private String hash(String source, String header) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(clang.getBytes(StandardCharsets.UTF_8));
            digest.update(source.getBytes(StandardCharsets.UTF_8));
            digest.update(header.getBytes(StandardCharsets.UTF_8));
            try (Stream<Path> files = Files.walk(bpfDir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".c") || f.toString().endsWith(".h")
                        || f.endsWith("clang.flags"))
                        .sorted().toList()) {
                    digest.update(file.toString().getBytes(StandardCharsets.UTF_8));
                    digest.update(Files.readAllBytes(file));
                }
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 32);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
