package xnet.model;

/** An edit that cannot be made; the message is meant for the user as it is. */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }
}
