package xnet.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import xnet.model.Ipv4;
import xnet.model.Proto;

/** A CNI call's environment and configuration, checked as the spec says, with its error codes. */
class CniRequestTest {

    private static final String CONF = """
            {"cniVersion":"1.0.0","name":"xnet-br1","type":"xnet-cni","bridge":"br1","socket":"/run/xnet/lab.sock",
             "runtimeConfig":{"portMappings":[{"hostPort":8080,"containerPort":80,"protocol":"tcp"},
                                              {"hostPort":5353,"containerPort":53,"protocol":"udp","hostIP":"10.0.0.1"}]}}""";

    private static Map<String, String> env(String command) {
        Map<String, String> env = new HashMap<>(Map.of("CNI_COMMAND", command, "CNI_CONTAINERID", "web1",
                "CNI_NETNS", "/var/run/netns/cni-1", "CNI_IFNAME", "eth0", "CNI_PATH", "/opt/cni/bin"));
        return env;
    }

    private static CniRequest parse(Map<String, String> env, String conf) {
        return CniRequest.parse(env, conf.getBytes(StandardCharsets.UTF_8));
    }

    private static int code(Map<String, String> env, String conf) {
        try {
            parse(env, conf);
            return 0;
        } catch (CniError error) {
            return error.code();
        }
    }

    @Test
    void readsTheAttachmentTheBridgeAndThePortMappings() {
        CniRequest add = parse(env("ADD"), CONF);
        assertThat(add.attachment()).isEqualTo(new Attachment("web1", "eth0"));
        assertThat(add.bridge()).isEqualTo("br1");
        assertThat(add.ipamType()).isNull();
        assertThat(add.portMappings()).containsExactly(new PortMapping(8080, 80, Proto.TCP, null),
                new PortMapping(5353, 53, Proto.UDP, Ipv4.parse("10.0.0.1")));
    }

    @Test
    void refusesWhatTheSpecRefusesWithItsCodes() {
        assertThat(code(env("ADD"), "{not json")).isEqualTo(CniError.DECODE_FAILURE);
        assertThat(code(env("ADD"), CONF.replace("1.0.0", "0.2.0"))).isEqualTo(CniError.INCOMPATIBLE_VERSION);
        assertThat(code(env("STATUS"), CONF)).as("STATUS is 1.1.0").isEqualTo(CniError.INCOMPATIBLE_VERSION);
        assertThat(code(env("ADD"), CONF.replace("\"bridge\":\"br1\",", ""))).isEqualTo(CniError.INVALID_CONFIG);
        assertThat(code(env("ADD"), CONF.replace("\"hostPort\":8080", "\"hostPort\":0"))).isEqualTo(CniError.INVALID_CONFIG);
        Map<String, String> noNetns = env("ADD");
        noNetns.remove("CNI_NETNS");
        assertThat(code(noNetns, CONF)).isEqualTo(CniError.INVALID_ENVIRONMENT);
        Map<String, String> delNoNetns = env("DEL");
        delNoNetns.remove("CNI_NETNS");
        assertThat(code(delNoNetns, CONF)).as("DEL may come after the namespace is gone").isZero();
        assertThat(code(env("FROB"), CONF)).isEqualTo(CniError.INVALID_ENVIRONMENT);
        Map<String, String> badIf = env("ADD");
        badIf.put("CNI_IFNAME", "a/b");
        assertThat(code(badIf, CONF)).isEqualTo(CniError.INVALID_ENVIRONMENT);
    }

    @Test
    void gcReadsTheValidAttachments() {
        String gc = CONF.replace("1.0.0", "1.1.0").replace("\"name\"", """
                "cni.dev/valid-attachments":[{"containerID":"a","ifname":"eth0"}],"name\"""");
        Map<String, String> env = Map.of("CNI_COMMAND", "GC", "CNI_PATH", "/opt/cni/bin");
        assertThat(parse(env, gc).validAttachments()).containsExactly(new Attachment("a", "eth0"));
    }
}
