package xnet.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import jnr.ffi.Runtime;
import jnr.ffi.Struct;

/** The struct layouts against the offsets of libbpf 1.1's and the kernel's headers (x86_64). */
class StructLayoutTest {

    private final Runtime runtime = Runtime.getSystemRuntime();

    @Test
    void testRunOptionsMatchLibbpf() {
        TestRunOpts opts = new TestRunOpts(runtime);
        assertThat(Struct.size(opts)).isEqualTo(80);
        assertThat(opts.dataIn.offset()).isEqualTo(8);
        assertThat(opts.dataSizeOut.offset()).isEqualTo(28);
        assertThat(opts.retval.offset()).isEqualTo(56);
        assertThat(opts.repeat.offset()).isEqualTo(60);
        assertThat(opts.duration.offset()).isEqualTo(64);
        assertThat(opts.batchSize.offset()).isEqualTo(76);
        assertThat(opts.memory().getLong(0)).as("sz").isEqualTo(80);
    }

    @Test
    void linkCreateOptionsMatchLibbpf() {
        LinkCreateOpts opts = new LinkCreateOpts(runtime);
        assertThat(Struct.size(opts)).isEqualTo(64);
        assertThat(opts.flags.offset()).isEqualTo(8);
        assertThat(opts.iterInfo.offset()).isEqualTo(16);
        assertThat(opts.targetBtfId.offset()).isEqualTo(28);
        opts.flags.set(XdpFlags.DRV_MODE);
        assertThat(opts.memory().getInt(8)).isEqualTo(4);
    }

    @Test
    void batchOptionsMatchLibbpf() {
        assertThat(Struct.size(new MapBatchOpts(runtime))).isEqualTo(24);
    }

    @Test
    void infoStructsMatchTheKernel() {
        LinkInfo link = new LinkInfo(runtime);
        assertThat(link.progId.offset()).isEqualTo(8);
        assertThat(link.ifindex.offset()).isEqualTo(16);
        ProgInfo prog = new ProgInfo(runtime);
        assertThat(Struct.size(prog)).isEqualTo(232);
        assertThat(prog.jitedProgLen.offset()).isEqualTo(16);
        assertThat(prog.xlatedProgLen.offset()).isEqualTo(20);
        assertThat(prog.ifindex.offset()).isEqualTo(80);
        assertThat(prog.netnsDev.offset()).isEqualTo(88);
        assertThat(prog.runTimeNs.offset()).isEqualTo(192);
        assertThat(prog.verifiedInsns.offset()).isEqualTo(216);
        MapInfo map = new MapInfo(runtime);
        assertThat(map.maxEntries.offset()).isEqualTo(16);
        assertThat(Struct.size(map)).as("up to the end of its name").isEqualTo(40);
    }

    @Test
    void errnosAreNamed() {
        assertThat(BpfException.describe(17)).isEqualTo("file exists (EEXIST)");
        assertThat(BpfException.describe(7)).contains("(E2BIG)").contains("verifier's limits");
        assertThat(BpfException.describe(9999)).isEqualTo("errno 9999");
        assertThat(new BpfException("attach v-web tc", 16, null).getMessage())
                .isEqualTo("attach v-web tc: device or resource busy (EBUSY)");
    }
}
