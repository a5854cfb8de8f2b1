package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * `lab status` tells the truth about the kernel: a lab broken by hand in five ways (a veth taken
 * off its bridge, a container's address deleted, its default route deleted, a program detached,
 * a policy rule added)
 * is reported each time, with exit status 1; after `lab rebuild` it is whole again (exit 0). A
 * lab never committed is empty, not missing.
 */
class LabStatusIT extends LabTest {

    private static final String LAB = "itstat";
    private static final String HOST = "xnet." + LAB + ".host";
    private static final String WEB = "xnet." + LAB + ".c.web";


    @Override
    protected String lab() {
        return LAB;
    }


    @Test
    void handMadeDriftIsReportedAndFailsTheStatus() throws Exception {
        Xnet.Result empty = xnet.c("lab status");
        assertThat(empty.status()).as(empty.all()).isZero();
        assertThat(empty.out()).contains("empty (nothing committed yet)").doesNotContain("MISSING");

        Xnet.Result commit = xnet.c("bridge add br1 10.0.1.0/24; container add web --bridge br1 --ip 10.0.1.2; "
                + "filter add drop from 10.9.0.0/16; commit");
        assertThat(commit.status()).as(commit.all()).isZero();
        assertWhole();

        broken(List.of("ip", "-n", HOST, "link", "set", "v-web", "nomaster"), "missing: link v-web on bridge br1");

        // a commit over that drift is refused with it listed, unless it makes the container anew
        assertThat(Kernel.status("ip", "-n", HOST, "link", "set", "v-web", "nomaster")).isZero();
        Xnet.Result over = xnet.c("filter add drop from 10.8.0.0/16; commit");
        assertThat(over.status()).as(over.all()).isEqualTo(1);
        assertThat(over.err()).contains("the kernel differs from the running config where this commit changes nothing",
                "v-web (container web's veth) is not on bridge br1 (on none)", "lab rebuild");
        assertThat(xnet.c("history").out()).as("nothing committed").doesNotContain("commit 2");
        Xnet.Result remade = xnet.c("container del web; commit; container add web --bridge br1 --ip 10.0.1.2; commit");
        assertThat(remade.status()).as("deleting the drifted container is no change over it\n" + remade.all()).isZero();
        assertWhole();
        broken(List.of("ip", "-n", WEB, "addr", "del", "10.0.1.2/24", "dev", "eth0"),
                "missing: address 10.0.1.2/24 on eth0 in " + WEB);
        broken(List.of("ip", "-n", WEB, "route", "del", "default"), "missing: default route via 10.0.1.1 in " + WEB);
        Path pin = Path.of("/sys/fs/bpf/xnet", LAB, "links", "v-web+tc");
        assertThat(pin).exists();
        broken(List.of("rm", pin.toString()), "no program attached as v-web+tc");
        broken(List.of("ip", "-n", HOST, "rule", "add", "iif", "br1", "to", "10.0.9.0/24", "prohibit"),
                "unexpected: policy rule iif br1 to 10.0.9.0/24 prohibit in " + HOST);
    }

    /** Breaks the lab with {@code command}: `lab status` says {@code said} and exits 1; `lab rebuild` mends it. */
    private void broken(List<String> command, String said) throws Exception {
        assertThat(Kernel.status(command.toArray(String[]::new))).as(String.join(" ", command)).isZero();
        Xnet.Result status = xnet.c("lab status");
        assertThat(status.status()).as(String.join(" ", command) + "\n" + status.all()).isEqualTo(1);
        assertThat(status.all()).contains(said);
        Xnet.Result rebuild = xnet.c("lab rebuild");
        assertThat(rebuild.status()).as(rebuild.all()).isZero();
        assertWhole();
    }

    private void assertWhole() throws Exception {
        Xnet.Result status = xnet.c("lab status");
        assertThat(status.status()).as(status.all()).isZero();
        assertThat(status.all()).doesNotContain("missing", "MISSING", "differ");
        assertThat(Files.exists(Path.of("/sys/fs/bpf/xnet", LAB, "links", "v-web+tc"))).isTrue();
    }
}
