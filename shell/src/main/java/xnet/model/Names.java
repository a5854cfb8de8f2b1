package xnet.model;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Naming rules. Bridge names become Linux interface names as written (at most 15 bytes);
 * a container's host-side veth is "v-" + its name, so container names are kept to 13 characters
 * and bridge names may not start with "v-"; a tunnel's device is "vx-" + its name.
 */
public final class Names {

    public static final int MAX_BRIDGE = 15;
    public static final int MAX_CONTAINER = 13;
    static final Set<String> RESERVED_DEVICES = Set.of("uplink", "lo", "eth0");
    /** Names the kernel refuses for a device: they name the all-devices and defaults entries of its per-device sysctls. */
    static final Set<String> KERNEL_RESERVED = Set.of("all", "default", ".", "..");
    static final Set<String> RESERVED_ENDPOINTS = Set.of("host", "outside");

    private static final Pattern BRIDGE = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,14}");
    private static final Pattern CONTAINER = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,12}");
    private static final Pattern LAB = Pattern.compile("[a-z0-9][a-z0-9_-]{0,23}");
    /** A tunnel's device is "vx-" + its name: 12 characters leave an interface name of 15. */
    public static final int MAX_TUNNEL = 12;
    private static final Pattern TUNNEL = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,11}");
    private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

    private Names() {
    }

    /** Returns null when the name is fine, else the reason. */
    public static String bridgeNameProblem(String name) {
        if (!BRIDGE.matcher(name).matches()) {
            return "bridge name '" + name + "' must start with a letter and hold at most " + MAX_BRIDGE
                    + " letters, digits, '_' or '-'";
        }
        if (RESERVED_DEVICES.contains(name) || name.startsWith("v-") || name.startsWith("vx-")) {
            return "bridge name '" + name + "' is reserved by xnet (uplink, lo, eth0, v-*, vx-*)";
        }
        if (KERNEL_RESERVED.contains(name)) {
            return "bridge name '" + name + "' is reserved by the kernel (all, default)";
        }
        return null;
    }

    public static String containerNameProblem(String name) {
        if (!CONTAINER.matcher(name).matches()) {
            return "container name '" + name + "' must start with a letter and hold at most " + MAX_CONTAINER
                    + " letters, digits, '_' or '-'";
        }
        if (RESERVED_ENDPOINTS.contains(name)) {
            return "container name '" + name + "' is reserved (host and outside name the lab's own namespaces)";
        }
        if (name.startsWith("vx-")) {
            return "container name '" + name + "' is reserved: vx-* names the tunnels' devices";
        }
        return null;
    }

    public static String tunnelNameProblem(String name) {
        if (!TUNNEL.matcher(name).matches()) {
            return "tunnel name '" + name + "' must start with a letter and hold at most " + MAX_TUNNEL
                    + " letters, digits, '_' or '-' (its device is vx-NAME)";
        }
        return null;
    }

    public static String deviceNameProblem(String name) {
        if (!DEVICE.matcher(name).matches()) {
            return "'" + name + "' is not an interface name (1 to 15 letters, digits, '_', '.' or '-')";
        }
        if (KERNEL_RESERVED.contains(name)) {
            return "'" + name + "' is reserved by the kernel (all, default, ., ..)";
        }
        return null;
    }

    public static String labNameProblem(String name) {
        if (!LAB.matcher(name).matches()) {
            return "lab name '" + name + "' must hold 1 to 24 lower-case letters, digits, '_' or '-'";
        }
        return null;
    }
}
