package xnet.bpf;

import jnr.ffi.Runtime;

/** struct bpf_test_run_opts (libbpf 1.1, tools/lib/bpf/bpf.h): 80 bytes on x86_64. */
final class TestRunOpts extends StructLayout {

    static final int SIZE = 80;

    final size_t sz = new size_t();
    final Pointer dataIn = new Pointer();
    final Pointer dataOut = new Pointer();
    final Unsigned32 dataSizeIn = new Unsigned32();
    /** In: room in data_out; out: the length of the packet the program left. */
    final Unsigned32 dataSizeOut = new Unsigned32();
    final Pointer ctxIn = new Pointer();
    final Pointer ctxOut = new Pointer();
    final Unsigned32 ctxSizeIn = new Unsigned32();
    final Unsigned32 ctxSizeOut = new Unsigned32();
    final Unsigned32 retval = new Unsigned32();
    final Signed32 repeat = new Signed32();
    /** Average run time per repetition, in ns. */
    final Unsigned32 duration = new Unsigned32();
    final Unsigned32 flags = new Unsigned32();
    final Unsigned32 cpu = new Unsigned32();
    final Unsigned32 batchSize = new Unsigned32();

    TestRunOpts(Runtime runtime) {
        super(runtime);
        allocate(SIZE, "struct bpf_test_run_opts");
        sz.set(SIZE);
    }
}
