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
import xnet.datapath.Shared;

/**
 * Runs generated packets through a loaded program with BPF_PROG_TEST_RUN and compares each
 * verdict and rewritten packet with the Java reference.
 */
final class ProgramCheck {

    record Result(List<String> mismatches, Map<Integer, Long> expectedCounts, int drops, int rewritten, int handedOn) {

        /** This run followed by a later one on the same program. */
        Result and(Result later) {
            List<String> all = new ArrayList<>(mismatches);
            all.addAll(later.mismatches);
            Map<Integer, Long> counts = new HashMap<>(expectedCounts);
            later.expectedCounts.forEach((slot, n) -> counts.merge(slot, n, Long::sum));
            return new Result(all, counts, drops + later.drops, rewritten + later.rewritten, handedOn + later.handedOn);
        }
    }

    private ProgramCheck() {
    }

    static Result run(int programFd, boolean xdp, ReferenceDatapath reference, PacketFactory packets, int count) {
        return run(programFd, xdp, reference, packets, count, FastPathModel.OFF);
    }

    /** The same, with the fast path's table of {@code fast} in the program's map, packets entering where it says. */
    static Result run(int programFd, boolean xdp, ReferenceDatapath reference, PacketFactory packets, int count,
                      FastPathModel fast) {
        Bpf bpf = Bpf.load();
        Map<Integer, Long> expectedCounts = new HashMap<>();
        List<String> mismatches = new ArrayList<>();
        int drops = 0;
        int rewritten = 0;
        int handedOn = 0;
        for (int i = 0; i < count; i++) {
            byte[] packet = packets.next();
            ReferenceDatapath.Result want = reference.process(packet);
            Bpf.TestRun got;
            try {
                got = fast == FastPathModel.OFF ? bpf.testRun(programFd, packet, 1)
                        : bpf.testRun(programFd, packet, 1, FastPathModel.INGRESS);
            } catch (RuntimeException e) {
                throw new AssertionError("test run of packet " + i + " (" + packet.length + " bytes) "
                        + HexFormat.of().formatHex(packet), e);
            }
            boolean dropped = xdp ? got.retval() == 1 : got.retval() == 2;
            // TC_ACT_REDIRECT (7): handed on by the fast path, exactly where the model says it is
            boolean redirect = !want.drop() && fast.handsOn(want.out());
            boolean passed = xdp ? got.retval() == 2 : got.retval() == (redirect ? 7 : 0);
            handedOn += redirect ? 1 : 0;
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
            } else if (!same && mismatches.size() < 1000) {
                mismatches.add("...");
            }
        }
        return new Result(mismatches, expectedCounts, drops, rewritten, handedOn);
    }

    /**
     * What-if packets (`test packet`): {@code count} generated packets through the program as
     * probes, each compared with the reference's {@link ReferenceDatapath#peek}: the verdict, the
     * counter slot that decided, the bytes the program gave back, and the statistic it names
     * (dropped, or translated exactly when the bytes changed). Neither side may count or remember
     * anything: the caller's later comparison of counters and connections shows they did not.
     * Returns the mismatches.
     */
    static List<String> probes(int programFd, boolean xdp, ReferenceDatapath reference, PacketFactory packets,
                               int count, FastPathModel fast) {
        Bpf bpf = Bpf.load();
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] packet = packets.next();
            ReferenceDatapath.Result want = reference.peek(packet);
            Bpf.Probe got = xdp ? bpf.probeXdp(programFd, packet)
                    : bpf.probeTc(programFd, packet, fast == FastPathModel.OFF ? 0 : FastPathModel.INGRESS);
            boolean dropped = xdp ? got.retval() == 1 : got.retval() == 2;
            int stat = got.info() & 0xff;
            boolean answered = (got.info() & Shared.XNET_PROBE_DONE) != 0;
            boolean same;
            if (want.drop()) {
                same = dropped && stat == Shared.XNET_STAT_DROPPED;
            } else {
                boolean translated = !Arrays.equals(want.out(), packet);
                boolean expectedStat = stat == Shared.XNET_STAT_ARP
                        || stat == (translated ? Shared.XNET_STAT_TRANSLATED : Shared.XNET_STAT_PASSED);
                same = !dropped && Arrays.equals(want.out(), got.out()) && expectedStat;
            }
            // a malformed frame is dropped before any rule (no slot); otherwise the slots agree
            same &= answered && (want.slot() < 0 || got.slot() == want.slot());
            same &= ((got.info() >>> Shared.XNET_PROBE_STATE_SHIFT) & 0xf) == want.state();
            if (!same && mismatches.size() < 5) {
                mismatches.add("probe " + i + ": " + HexFormat.of().formatHex(packet) + "\n  want "
                        + (want.drop() ? "drop" : "pass " + HexFormat.of().formatHex(want.out())) + " slot " + want.slot()
                        + " state " + want.state()
                        + "\n  got  retval " + got.retval() + " slot " + got.slot() + " info " + Integer.toHexString(got.info())
                        + " " + HexFormat.of().formatHex(got.out()));
            } else if (!same && mismatches.size() < 1000) {
                mismatches.add("...");
            }
        }
        return mismatches;
    }

    /** Sets the default action of rule set 0 (the active one of a new program) to drop. */
    static void defaultDrop(int metaFd) {
        Bpf bpf = Bpf.load();
        byte[] meta = new byte[xnet.datapath.Shared.META_SIZE];
        bpf.lookup(metaFd, MapEncoding.u32(0), meta);
        java.nio.ByteBuffer.wrap(meta).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(4, xnet.datapath.Shared.XNET_ACT_DROP);
        bpf.update(metaFd, MapEncoding.u32(0), meta, 0);
    }

    /** The connection states (xnet_flows), printed as {@link ReferenceDatapath#flows()} prints its table. */
    static Map<String, Integer> flows(int flowsFd) {
        return flowTable(flowsFd, Shared.FLOW_KEY_SIZE, (key, k) -> ReferenceDatapath.flowKey(
                Integer.reverseBytes(k.getInt(0)), Integer.reverseBytes(k.getInt(4)), k.getShort(8) & 0xffff,
                k.getShort(10) & 0xffff, k.get(12) & 0xff));
    }

    /** The IPv6 connection states (xnet_flows6), printed as {@link ReferenceDatapath#flows6()} prints its table. */
    static Map<String, Integer> flows6(int flows6Fd) {
        return flowTable(flows6Fd, Shared.FLOW_KEY6_SIZE, (key, k) -> address6(key, 0) + " " + address6(key, 16) + " "
                + (k.getShort(32) & 0xffff) + " " + (k.getShort(34) & 0xffff) + " " + (k.get(36) & 0xff));
    }

    /** A connection-state map: each key as {@code name} prints it (from its bytes, and them little-endian), to its flags. */
    private static Map<String, Integer> flowTable(int fd, int keySize,
                                                  java.util.function.BiFunction<byte[], java.nio.ByteBuffer, String> name) {
        Bpf bpf = Bpf.load();
        Map<String, Integer> out = new HashMap<>();
        byte[] value = new byte[Shared.FLOW_VALUE_SIZE];
        for (byte[] key : bpf.keys(fd, keySize)) {
            if (bpf.lookup(fd, key, value)) {
                out.put(name.apply(key, java.nio.ByteBuffer.wrap(key).order(java.nio.ByteOrder.LITTLE_ENDIAN)),
                        java.nio.ByteBuffer.wrap(value).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(0));
            }
        }
        return out;
    }

    /** Empties a map (the connection tables, before a reference that starts empty). */
    static void empty(int fd, int keySize) {
        Bpf bpf = Bpf.load();
        for (byte[] key : bpf.keys(fd, keySize)) {
            bpf.delete(fd, key);
        }
    }

    /** The NAT connection map, printed as {@link ReferenceDatapath#connections()} prints its table. */
    static Map<String, String> connections(int ctFd) {
        Bpf bpf = Bpf.load();
        Map<String, String> out = new HashMap<>();
        byte[] value = new byte[xnet.datapath.Shared.CT_VALUE_SIZE];
        for (byte[] key : bpf.keys(ctFd, xnet.datapath.Shared.CT_KEY_SIZE)) {
            if (!bpf.lookup(ctFd, key, value)) {
                continue;
            }
            java.nio.ByteBuffer k = java.nio.ByteBuffer.wrap(key).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            java.nio.ByteBuffer v = java.nio.ByteBuffer.wrap(value).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            out.put(ReferenceDatapath.connectionKey(Integer.reverseBytes(k.getInt(0)), Integer.reverseBytes(k.getInt(4)),
                    k.getShort(8) & 0xffff, k.getShort(10) & 0xffff, k.get(12) & 0xff),
                    ReferenceDatapath.connectionValue(Integer.reverseBytes(v.getInt(0)), v.getShort(4) & 0xffff, v.get(6) & 0xff));
        }
        return out;
    }

    /** The IPv6 NAT connection map (xnet_ct6), printed as {@link ReferenceDatapath#connections6()} prints its table. */
    static Map<String, String> connections6(int ct6Fd) {
        Bpf bpf = Bpf.load();
        Map<String, String> out = new HashMap<>();
        byte[] value = new byte[Shared.CT_VALUE6_SIZE];
        for (byte[] key : bpf.keys(ct6Fd, Shared.CT_KEY6_SIZE)) {
            if (!bpf.lookup(ct6Fd, key, value)) {
                continue;
            }
            java.nio.ByteBuffer k = java.nio.ByteBuffer.wrap(key).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            java.nio.ByteBuffer v = java.nio.ByteBuffer.wrap(value).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            out.put(address6(key, 0) + " " + address6(key, 16) + " " + (k.getShort(32) & 0xffff) + " "
                    + (k.getShort(34) & 0xffff) + " " + (k.get(36) & 0xff),
                    address6(value, 0) + " " + (v.getShort(16) & 0xffff) + " " + (v.get(18) & 0xff));
        }
        return out;
    }

    private static xnet.model.Ipv6 address6(byte[] b, int at) {
        java.nio.ByteBuffer big = java.nio.ByteBuffer.wrap(b);
        return new xnet.model.Ipv6(big.getLong(at), big.getLong(at + 8));
    }

    /**
     * Every program attached to a lab decides 2,000 generated packets as the Java reference does
     * for {@code running} (the NAT connection map is emptied first: the reference starts empty).
     */
    static void attachedDecideAs(String lab, xnet.session.RunningState running, String context) throws Exception {
        java.nio.file.Path links = java.nio.file.Path.of("/sys/fs/bpf/xnet", lab, "links");
        if (!java.nio.file.Files.isDirectory(links)) {
            return;
        }
        Map<Integer, Boolean> xdpOf = new HashMap<>();
        Kernel.linkPrograms(lab).forEach((link, id) -> xdpOf.put(id, link.contains("+xdp")));
        xnet.model.Config config = running.config();
        Bpf bpf = Bpf.load();
        for (Map.Entry<Integer, Boolean> program : xdpOf.entrySet()) {
            for (String map : List.of(Shared.XNET_MAP_CT, Shared.XNET_MAP_CT6, Shared.XNET_MAP_FLOWS,
                    Shared.XNET_MAP_FLOWS6)) {
                int fd = bpf.pinned(java.nio.file.Path.of("/sys/fs/bpf/xnet", lab, "maps", map).toString());
                if (fd < 0) {
                    continue;
                }
                try {
                    empty(fd, switch (map) {
                        case Shared.XNET_MAP_CT -> Shared.CT_KEY_SIZE;
                        case Shared.XNET_MAP_CT6 -> Shared.CT_KEY6_SIZE;
                        case Shared.XNET_MAP_FLOWS6 -> Shared.FLOW_KEY6_SIZE;
                        default -> Shared.FLOW_KEY_SIZE;
                    });
                } finally {
                    bpf.close(fd);
                }
            }
            ReferenceDatapath reference = new ReferenceDatapath(config.filters(), config.defaultAction(), config.nats(),
                    running.datapath().slots().slotOfRule());
            if (program.getValue()) {
                reference.atXdp();
            }
            int fd = bpf.programById(program.getKey());
            try {
                Result result = run(fd, program.getValue(), reference,
                        new PacketFactory(program.getKey(), config.filters(), config.nats()), 2_000);
                org.assertj.core.api.Assertions.assertThat(result.mismatches()).as(context + ": program "
                        + program.getKey() + " decides as commit " + running.generation() + "\n"
                        + String.join("\n", result.mismatches())).isEmpty();
            } finally {
                bpf.close(fd);
            }
        }
    }

    /** Packets counted in each slot of a rule counter map. */
    /** Each NAT rule's packets (by id) from xnet_nat_stats: to the private side, back from the public address. */
    /** Packets counted per NAT rule, each way, from its family's counters (mapFd: a map's fd by name). */
    static Map<Integer, List<Long>> natCounted(java.util.function.ToIntFunction<String> mapFd, List<xnet.model.NatRule> nats) {
        Bpf bpf = Bpf.load();
        byte[] value = new byte[Shared.XNET_NAT_STAT_COUNT * 8 * bpf.possibleCpus()];
        Map<Integer, List<Long>> out = new HashMap<>();
        for (xnet.model.NatRule rule : nats) {
            if (bpf.lookup(mapFd.applyAsInt(MapEncoding.natStatsMap(rule)), MapEncoding.natKey(rule), value)) {
                long[] sum = MapEncoding.sumCounters(value, bpf.possibleCpus(), Shared.XNET_NAT_STAT_COUNT);
                if (sum[0] != 0 || sum[1] != 0) {
                    out.put(rule.id(), List.of(sum[0], sum[1]));
                }
            }
        }
        return out;
    }

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
