package xnet.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * An IPv6 address as two unsigned 64-bit halves. Parsing takes the text forms of RFC 4291
 * (groups of up to four hex digits, one "::", a dotted IPv4 tail); printing is the one canonical
 * form of RFC 5952 (lower case, the longest run of two or more zero groups as "::", the first
 * one on a tie), so an address reads the same in every listing, preview and state file.
 */
public record Ipv6(long hi, long lo) implements Comparable<Ipv6>, IpAddress {

    @Override
    public Family family() {
        return Family.IPV6;
    }

    @JsonCreator
    public static Ipv6 parse(String text) {
        int[] groups = groups(text);
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 4; i++) {
            hi = (hi << 16) | groups[i];
            lo = (lo << 16) | groups[i + 4];
        }
        return new Ipv6(hi, lo);
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("'" + text + "' is not an IPv6 address (" + why + ")");
    }

    /** The eight 16-bit groups of the text. */
    private static int[] groups(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            throw invalid(text, "'::' may appear once");
        }
        String head = gap < 0 ? text : text.substring(0, gap);
        String tail = gap < 0 ? "" : text.substring(gap + 2);
        int[] front = pieces(text, head, gap < 0 || tail.isEmpty());
        int[] back = gap < 0 ? new int[0] : pieces(text, tail, true);
        int total = front.length + back.length;
        if (gap < 0 ? total != 8 : total > 7) {
            throw invalid(text, gap < 0 ? "expected 8 groups, or '::' for a run of zeros" : "too many groups");
        }
        int[] out = new int[8];
        System.arraycopy(front, 0, out, 0, front.length);
        System.arraycopy(back, 0, out, 8 - back.length, back.length);
        return out;
    }

    /** Colon-separated groups; the last may be a dotted IPv4 address (two groups) when {@code last}. */
    private static int[] pieces(String text, String part, boolean last) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] words = part.split(":", -1);
        int dotted = last && words[words.length - 1].contains(".") ? 1 : 0;
        int[] out = new int[words.length + dotted];
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            if (dotted == 1 && i == words.length - 1) {
                int v4 = Ipv4.parse(w).bits();
                out[i] = v4 >>> 16;
                out[i + 1] = v4 & 0xffff;
            } else if (w.isEmpty() || w.length() > 4 || !hex(w)) {
                throw invalid(text, w.isEmpty() ? "empty group" : "'" + w + "' is not a group of 1 to 4 hex digits");
            } else {
                out[i] = Integer.parseInt(w, 16);
            }
        }
        return out;
    }

    private static boolean hex(String word) {
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    /** Group {@code i} (0..7), 16 bits. */
    public int group(int i) {
        long half = i < 4 ? hi : lo;
        return (int) (half >>> (16 * (3 - (i & 3)))) & 0xffff;
    }

    /** The address {@code offset} above this one (within the low half, which is all a subnet's hosts need). */
    public Ipv6 plus(long offset) {
        long sum = lo + offset;
        return new Ipv6(Long.compareUnsigned(sum, lo) < 0 ? hi + 1 : hi, sum);
    }

    /** The 16 bytes in network order, as the packet carries them. */
    public byte[] bytes() {
        return java.nio.ByteBuffer.allocate(16).putLong(hi).putLong(lo).array();
    }

    @Override
    public int compareTo(Ipv6 other) {
        int c = Long.compareUnsigned(hi, other.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, other.lo);
    }

    @JsonValue
    @Override
    public String toString() {
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && group(j) == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(group(i)));
        }
        return out.toString();
    }
}
