package xnet.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** preview loads the candidate's programs to ask the verifier, and leaves the kernel as it was. */
class PreviewIT {

    private Xnet xnet;

    @BeforeEach
    void setUp() throws Exception {
        xnet = new Xnet("itpv");
    }

    @AfterEach
    void tearDown() throws Exception {
        xnet.close();
    }

    @Test
    void previewChangesNoProgramLinkOrMap() throws Exception {
        assertThat(xnet.f("profiles/single-host.xnet").status()).isZero();
        assertThat(xnet.c("filter add drop from 10.0.9.9; commit").status()).isZero();
        String before = bpfObjects(xnet);

        Xnet.Result preview = xnet.c("filter add drop from 10.0.1.0/24 to 10.0.2.0/24 proto tcp port 22; "
                + "nat add 10.0.0.1:80 -> 10.0.2.2:8080; datapath xdp; preview");
        assertThat(preview.status()).as(preview.all()).isZero();
        assertThat(preview.out()).contains("strategy inline", "#define XNET_FILTER XNET_FILTER_INLINE",
                "xdp (xnet_xdp.c): accepted by the verifier", "instructions verified", "nothing was attached");

        String after = bpfObjects(xnet);
        assertThat(after).isEqualTo(before);
        assertThat(Kernel.sh("ls", "/sys/fs/bpf/xnet/itpv/links")).doesNotContain("xdp");

        java.nio.file.Path batch = xnet.home.resolve("many.xnet");
        java.nio.file.Files.writeString(batch, "datapath strategy inline\n" + manyRules(4001) + "preview\n");
        Xnet.Result rejected = xnet.f(batch.toString());
        assertThat(rejected.status()).isEqualTo(1);
        assertThat(rejected.err()).contains(batch + ":4003: ").contains("too many for the inline strategy");
    }

    private static String manyRules(int n) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append("filter add drop from 10.9.").append(i / 250).append('.').append(i % 250).append('\n');
        }
        return out.toString();
    }

    /**
     * What this lab holds of BPF: the program each of its devices runs, its pinned links, and the
     * objects xnetd has open (see {@link Kernel#bpfHeldBy}).
     */
    private static String bpfObjects(Xnet xnet) throws Exception {
        long pid = Long.parseLong(java.nio.file.Files.readString(xnet.run().resolve("itpv.pid")).trim());
        return Kernel.linkPrograms("itpv") + "\n" + Kernel.sh("ls", "/sys/fs/bpf/xnet/itpv/links") + "\n"
                + Kernel.bpfHeldBy(pid);
    }
}
