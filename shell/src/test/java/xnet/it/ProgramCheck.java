package xnet.it;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import xnet.bpf.Bpf;
import xnet.compile.MapEncoding;
import xnet.datapath.PacketFactory;
import xnet.datapath.ReferenceDatapath;

/**
 * Runs generated packets through a loaded program with BPF_PROG_TEST_RUN and compares each
 * verdict and rewritten packet with the Java reference.
 */
final class ProgramCheck {

    record Result(List<String> mismatches, Map<Integer, Long> expectedCounts, int drops, int rewritten) {
    }

    private ProgramCheck() {
    }

    static Result run(int programFd, boolean xdp, ReferenceDatapath reference, PacketFactory packets, int count) {
        Bpf bpf = Bpf.load();
        Map<Integer, Long> expectedCounts = new HashMap<>();
        List<String> mismatches = new ArrayList<>();
        int drops = 0;
        int rewritten = 0;
        for (int i = 0; i < count; i++) {
            byte[] packet = packets.next();
            ReferenceDatapath.Result want = reference.process(packet);
            Bpf.TestRun got;
            try {
                got = bpf.testRun(programFd, packet, 1);
            } catch (RuntimeException e) {
                throw new AssertionError("test run of packet " + i + " (" + packet.length + " bytes) "
                        + HexFormat.of().formatHex(packet), e);
            }
            boolean dropped = xdp ? got.retval() == 1 : got.retval() == 2;
            boolean passed = xdp ? got.retval() == 2 : got.retval() == 0;
            if (want.slot() >= 0) {
                expectedCounts.merge(want.slot(), 1L, Long::sum);
            }
            drops += want.drop() ? 1 : 0;
            rewritten += !want.drop() && !Arrays.equals(want.out(), packet) ? 1 : 0;
            boolean same = want.drop() ? dropped : passed && Arrays.equals(want.out(), got.out());
            if (!same && mismatches.size() < 5) {
                mismatches.add("packet " + i + ": " + HexFormat.of().formatHex(packet) + "\n  want "
                        + (want.drop() ? "drop" : "pass " + HexFormat.of().formatHex(want.out())) + "\n  got  retval "
                        + got.retval() + " " + HexFormat.of().formatHex(got.out()));
            } else if (!same) {
                mismatches.add("...");
            }
        }
        return new Result(mismatches, expectedCounts, drops, rewritten);
    }

    /** Packets counted in each slot of a rule counter map. */
    static Map<Integer, Long> counted(int statsFd, Iterable<Integer> slots) {
        Bpf bpf = Bpf.load();
        byte[] value = new byte[16 * bpf.possibleCpus()];
        Map<Integer, Long> out = new HashMap<>();
        for (int slot : slots) {
            bpf.lookup(statsFd, MapEncoding.u32(slot), value);
            out.put(slot, MapEncoding.sumCounters(value, bpf.possibleCpus(), 2)[0]);
        }
        return out;
    }
}
