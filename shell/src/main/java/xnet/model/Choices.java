package xnet.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The words an enum is typed as ("drop|allow"), for grammars and messages: written once, by the enum. */
public final class Choices {

    private Choices() {
    }

    @SafeVarargs
    public static <E extends Enum<E>> String of(E... values) {
        return Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining("|"));
    }
}
