package xnet.model;

/**
 * Numbers as typed: ASCII digits only. Java's Character.isDigit and Integer.parseInt take any
 * script's digits (Arabic-Indic, full-width), which would make "١٠.٠.٠.١" a valid 10.0.0.1 and
 * "filter del １" delete rule 1: every number xnet reads goes through here.
 */
public final class Digits {

    private Digits() {
    }

    /** Whether {@code text} is 1 to {@code maxLength} ASCII digits. */
    public static boolean ascii(String text, int maxLength) {
        if (text.isEmpty() || text.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
