package xnet.model;

/** IP protocols a rule may name; ANY matches every protocol. */
public enum Proto {
    ANY(0), ICMP(1), TCP(6), UDP(17);

    private final int number;

    Proto(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    public boolean hasPorts() {
        return this == TCP || this == UDP;
    }

    public static Proto parse(String text) {
        return valueOf(text.toUpperCase());
    }

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
