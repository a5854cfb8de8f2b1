package xnet.session;

import xnet.model.Config;

/**
 * The BPF hooks and the kernel's tables together. The side that takes over traffic is applied
 * first and the side that lets go second, so a change of hook never leaves a moment without
 * rules.
 */
public final class CombinedDatapath implements DatapathPort {

    private final DatapathPort bpf;
    private final DatapathPort tables;

    public CombinedDatapath(DatapathPort bpf, DatapathPort tables) {
        this.bpf = bpf;
        this.tables = tables;
    }

    @Override
    public Prepared prepare(Config candidate, RunningState running, xnet.diff.FilterDelta filters) {
        Prepared first = bpf.prepare(candidate, running, filters);
        Prepared second;
        try {
            second = tables.prepare(candidate, running, filters);
        } catch (RuntimeException failure) {
            first.close();
            throw failure;
        }
        boolean toBpf = candidate.datapath().hook().bpf();
        Prepared programs = first;
        Prepared rules = second;
        return new Prepared() {
            @Override
            public DatapathState apply() {
                Prepared taking = toBpf ? programs : rules;
                Prepared leaving = toBpf ? rules : programs;
                DatapathState taken = taking.apply();
                try {
                    DatapathState left = leaving.apply();
                    return toBpf ? taken : left; // the BPF side's state: counter slots, ifindexes
                } catch (RuntimeException failure) {
                    taking.revert();
                    throw failure;
                }
            }

            @Override
            public void revert() {
                programs.revert();
                rules.revert();
            }

            @Override
            public void close() {
                first.close();
                second.close();
            }
        };
    }
}
