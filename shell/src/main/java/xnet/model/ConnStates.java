package xnet.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The connection states a filter rule matches (`state established,related`), as iptables'
 * conntrack names them: NEW (a packet that opens or belongs to a connection not yet answered),
 * ESTABLISHED (a connection that has seen packets both ways, in either direction) and RELATED (an
 * ICMP error about a known connection). A rule without states matches any. Bits as the programs
 * carry them (XNET_STATE_* in bpf/include/xnet_shared.h).
 */
public record ConnStates(int bits) {

    public static final int NEW = 1;
    public static final int ESTABLISHED = 2;
    public static final int RELATED = 4;
    public static final int ALL = NEW | ESTABLISHED | RELATED;
    private static final List<String> NAMES = List.of("new", "established", "related");

    public ConnStates {
        if (bits <= 0 || bits > ALL) {
            throw new IllegalArgumentException("no connection state in " + bits);
        }
    }

    /** "established,related", in any order and case; the words of {@link #text}. */
    public static ConnStates parse(String text) {
        int bits = 0;
        for (String word : text.split(",", -1)) {
            int at = NAMES.indexOf(word.strip().toLowerCase(Locale.ROOT));
            if (at < 0) {
                throw new IllegalArgumentException("'" + word.strip() + "' is no connection state; there are "
                        + String.join(", ", NAMES));
            }
            bits |= 1 << at;
        }
        return new ConnStates(bits);
    }

    /** The bits of a rule's states: all three for a rule without any. */
    public static int bitsOf(ConnStates states) {
        return states == null ? ALL : states.bits;
    }

    public boolean has(int state) {
        return (bits & state) != 0;
    }

    /** The states one by one, as single-state sets (a rule becomes one map entry per state). */
    public List<Integer> each() {
        List<Integer> out = new ArrayList<>();
        for (int bit = NEW; bit <= RELATED; bit <<= 1) {
            if (has(bit)) {
                out.add(bit);
            }
        }
        return out;
    }

    /** "new,established,related" order, whatever order they were typed in. */
    @Override
    public String toString() {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < NAMES.size(); i++) {
            if ((bits & (1 << i)) != 0) {
                words.add(NAMES.get(i));
            }
        }
        return String.join(",", words);
    }
}
