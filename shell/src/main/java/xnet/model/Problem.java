package xnet.model;

/** One reason a configuration cannot be committed, naming the object it concerns. */
public record Problem(String object, String message) {

    @Override
    public String toString() {
        return object + ": " + message;
    }
}
