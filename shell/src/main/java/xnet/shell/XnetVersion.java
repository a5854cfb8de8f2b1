package xnet.shell;

/** The version written into the jar's manifest by the build. */
public final class XnetVersion {

    private XnetVersion() {
    }

    public static String get() {
        String version = XnetVersion.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }
}
