package xnet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The #defines of a C file of the repository, for tests that hold C and Java constants to one another. */
public final class CDefines {

    private CDefines() {
    }

    /** {@code file} relative to the repository root; names matching {@code names} (a regex), to their values. */
    public static Map<String, String> of(String file, String names) throws IOException {
        Path source = Path.of(System.getProperty("user.dir")).resolve("..").resolve(file).normalize();
        Map<String, String> defines = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^#define (" + names + ") (.+)$").matcher(Files.readString(source));
        while (m.find()) {
            defines.put(m.group(1), m.group(2).trim());
        }
        return defines;
    }

    /** The file's text, for tests that look for what it must not contain. */
    public static String text(String file) throws IOException {
        return Files.readString(Path.of(System.getProperty("user.dir")).resolve("..").resolve(file).normalize());
    }
}
