package xnet.kernel;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import xnet.cni.CniError;
import xnet.model.Ipv4;

/**
 * An IPAM plugin (host-local, dhcp, ...) that a network configuration delegates addresses to:
 * run as CNI says, from CNI_PATH, with the call's environment and configuration.
 */
public final class IpamPlugin {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 30;

    private IpamPlugin() {
    }

    /** What an IPAM plugin gave: an IPv4 address, and an IPv6 one when its config has an IPv6 range. */
    public record Addresses(Ipv4 ip, Optional<xnet.model.Ipv6> ip6) {
    }

    /** Runs ADD and returns the first address of each family it gives (IPv4's is required). */
    public static Addresses add(String type, Map<String, String> env, byte[] config) {
        JsonNode result = run(type, "ADD", env, config);
        Ipv4 ip = null;
        xnet.model.Ipv6 ip6 = null;
        for (JsonNode given : result.path("ips")) {
            String address = given.path("address").asText("");
            String bare = address.contains("/") ? address.substring(0, address.indexOf('/')) : address;
            if (bare.contains(":") && ip6 == null) {
                ip6 = xnet.model.Ipv6.parse(bare);
            } else if (bare.contains(".") && ip == null) {
                ip = Ipv4.parse(bare);
            }
        }
        if (ip == null) {
            throw new CniError(CniError.XNET_FAILED, "IPAM plugin " + type + " gave no IPv4 address", result.toString());
        }
        return new Addresses(ip, Optional.ofNullable(ip6));
    }

    public static void delete(String type, Map<String, String> env, byte[] config) {
        run(type, "DEL", env, config);
    }

    private static JsonNode run(String type, String command, Map<String, String> env, byte[] config) {
        Path plugin = find(type, env.getOrDefault("CNI_PATH", "")).orElseThrow(() -> new CniError(
                CniError.INVALID_CONFIG, "IPAM plugin " + type + " is not in CNI_PATH", env.getOrDefault("CNI_PATH", "")));
        ProcessBuilder builder = new ProcessBuilder(plugin.toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(env);
        builder.environment().put("CNI_COMMAND", command);
        try {
            Process process = builder.start();
            process.getOutputStream().write(config);
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new CniError(CniError.TRY_AGAIN, "IPAM plugin " + type + " did not answer in " + TIMEOUT_SECONDS + " s");
            }
            JsonNode answer = out.length == 0 ? JSON.createObjectNode() : JSON.readTree(out);
            if (process.exitValue() != 0) {
                throw new CniError(answer.path("code").asInt(CniError.XNET_FAILED),
                        "IPAM plugin " + type + ": " + answer.path("msg").asText("exit " + process.exitValue()),
                        answer.path("details").asText(new String(out, StandardCharsets.UTF_8)));
            }
            return answer;
        } catch (IOException failed) {
            throw new CniError(CniError.IO_FAILURE, "IPAM plugin " + type + ": " + failed.getMessage());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new CniError(CniError.TRY_AGAIN, "interrupted while IPAM plugin " + type + " ran");
        }
    }

    private static Optional<Path> find(String type, String cniPath) {
        if (type.contains("/")) {
            return Optional.empty();
        }
        for (String dir : cniPath.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, type);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
