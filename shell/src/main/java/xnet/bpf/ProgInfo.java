package xnet.bpf;

import jnr.ffi.NativeType;
import jnr.ffi.Runtime;

/** struct bpf_prog_info (include/uapi/linux/bpf.h, up to attach_btf_id): 232 bytes. */
final class ProgInfo extends StructLayout {

    static final int SIZE = 232;

    final Unsigned32 type = new Unsigned32();
    final Unsigned32 id = new Unsigned32();
    final Padding tag = new Padding(NativeType.UCHAR, 8);
    final Unsigned32 jitedProgLen = new Unsigned32();
    final Unsigned32 xlatedProgLen = new Unsigned32();
    final Unsigned64 jitedProgInsns = new Unsigned64();
    final Unsigned64 xlatedProgInsns = new Unsigned64();
    final Unsigned64 loadTime = new Unsigned64();
    final Unsigned32 createdByUid = new Unsigned32();
    final Unsigned32 nrMapIds = new Unsigned32();
    final Unsigned64 mapIds = new Unsigned64();
    final Padding name = new Padding(NativeType.UCHAR, 16);
    final Unsigned32 ifindex = new Unsigned32();
    /** gpl_compatible:1 and 31 bits of padding. */
    final Unsigned32 flagBits = new Unsigned32();
    final Unsigned64 netnsDev = new Unsigned64();
    final Unsigned64 netnsIno = new Unsigned64();
    final Unsigned32 nrJitedKsyms = new Unsigned32();
    final Unsigned32 nrJitedFuncLens = new Unsigned32();
    final Unsigned64 jitedKsyms = new Unsigned64();
    final Unsigned64 jitedFuncLens = new Unsigned64();
    final Unsigned32 btfId = new Unsigned32();
    final Unsigned32 funcInfoRecSize = new Unsigned32();
    final Unsigned64 funcInfo = new Unsigned64();
    final Unsigned32 nrFuncInfo = new Unsigned32();
    final Unsigned32 nrLineInfo = new Unsigned32();
    final Unsigned64 lineInfo = new Unsigned64();
    final Unsigned64 jitedLineInfo = new Unsigned64();
    final Unsigned32 nrJitedLineInfo = new Unsigned32();
    final Unsigned32 lineInfoRecSize = new Unsigned32();
    final Unsigned32 jitedLineInfoRecSize = new Unsigned32();
    final Unsigned32 nrProgTags = new Unsigned32();
    final Unsigned64 progTags = new Unsigned64();
    final Unsigned64 runTimeNs = new Unsigned64();
    final Unsigned64 runCnt = new Unsigned64();
    final Unsigned64 recursionMisses = new Unsigned64();
    final Unsigned32 verifiedInsns = new Unsigned32();
    final Unsigned32 attachBtfObjId = new Unsigned32();
    final Unsigned32 attachBtfId = new Unsigned32();
    /** The struct is 8-aligned. */
    final Padding tail = new Padding(NativeType.UCHAR, 4);

    ProgInfo(Runtime runtime) {
        super(runtime);
        allocate(SIZE, "struct bpf_prog_info");
    }
}
