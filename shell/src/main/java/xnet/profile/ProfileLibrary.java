package xnet.profile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import xnet.state.FileStateStore;

/**
 * Profiles are batch files named NAME.xnet: the ones shipped in the repository's profiles/ and
 * the user's own saved ones. A saved profile of the same name comes first.
 */
public final class ProfileLibrary {

    public static final String SUFFIX = ".xnet";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    public record Profile(String name, String origin, Path path) {
    }

    private final Path shipped;
    private final Path saved;

    public ProfileLibrary(Path shipped, Path saved) {
        this.shipped = shipped;
        this.saved = saved;
    }

    public List<Profile> list() throws IOException {
        List<Profile> all = new ArrayList<>(in(saved, "saved"));
        for (Profile p : in(shipped, "shipped")) {
            if (all.stream().noneMatch(s -> s.name().equals(p.name()))) {
                all.add(p);
            }
        }
        all.sort(java.util.Comparator.comparing(Profile::name));
        return all;
    }

    public Optional<Profile> find(String name) throws IOException {
        return list().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Saves the lines as the user's profile NAME; refuses to overwrite unless asked. */
    public Path save(String name, List<String> lines, boolean overwrite) throws IOException {
        if (!NAME.matcher(name).matches() || name.endsWith(SUFFIX)) {
            throw new IllegalArgumentException("profile name '" + name
                    + "' must start with a letter or digit and hold letters, digits, '_', '.' or '-' (no " + SUFFIX + ")");
        }
        Path file = saved.resolve(name + SUFFIX);
        if (Files.exists(file) && !overwrite) {
            throw new IllegalArgumentException("profile " + name + " already exists (" + file + "); add --force to replace it");
        }
        FileStateStore.writeText(file, String.join("\n", lines) + "\n");
        return file;
    }

    private static List<Profile> in(Path dir, String origin) throws IOException {
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(SUFFIX))
                    .map(f -> {
                        String file = f.getFileName().toString();
                        return new Profile(file.substring(0, file.length() - SUFFIX.length()), origin, f);
                    }).toList();
        }
    }
}
