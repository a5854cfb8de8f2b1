package xnet.session;

import java.util.ArrayList;
import java.util.List;

import xnet.diff.FilterDelta;
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
    public Prepared prepare(Config candidate, RunningState running, FilterDelta filters) {
        Prepared programs = bpf.prepare(candidate, running, filters);
        Prepared rules;
        try {
            rules = tables.prepare(candidate, running, filters);
        } catch (RuntimeException failure) {
            List<String> left = programs.revert();
            programs.close();
            throw UndoIncompleteException.of(failure, left);
        }
        boolean toBpf = candidate.datapath().hook().bpf();
        return new Prepared() {
            @Override
            public DatapathState apply() {
                Prepared taking = toBpf ? programs : rules;
                Prepared leaving = toBpf ? rules : programs;
                DatapathState taken = taking.apply();
                DatapathState left = leaving.apply();
                return toBpf ? taken : left; // the BPF side's state: counter slots, ifindexes
            }

            @Override
            public List<String> revert() {
                List<String> problems = new ArrayList<>(rules.revert());
                problems.addAll(programs.revert());
                return problems;
            }

            @Override
            public void close() {
                programs.close();
                rules.close();
            }
        };
    }

    @Override
    public PreviewReport preview(Config candidate, RunningState running) {
        return bpf.preview(candidate, running);
    }

    @Override
    public CounterSnapshot counters(RunningState running) {
        return running.config().datapath().hook().bpf() ? bpf.counters(running) : tables.counters(running);
    }

    @Override
    public List<String> describe(Config candidate, RunningState running) {
        List<String> out = new java.util.ArrayList<>(bpf.describe(candidate, running));
        out.addAll(tables.describe(candidate, running));
        return out;
    }

    @Override
    public RulesetCheck checkRuleset(Config candidate) {
        return candidate.datapath().hook().bpf() ? null : tables.checkRuleset(candidate);
    }

    @Override
    public void clearCounters(RunningState running, Integer rule) {
        if (running.config().datapath().hook().bpf()) {
            bpf.clearCounters(running, rule);
        } else {
            tables.clearCounters(running, rule);
        }
    }

    @Override
    public xnet.datapath.WhatIf probe(RunningState running, String point, byte[] frame) {
        requireBpf(running.config(), point);
        return bpf.probe(running, point, frame);
    }

    @Override
    public xnet.datapath.WhatIf probeCandidate(Config candidate, RunningState running, String point, byte[] frame) {
        requireBpf(candidate, point);
        return bpf.probeCandidate(candidate, running, point, frame);
    }

    @Override
    public EventFeed events(java.util.Set<DatapathEvent.Kind> kinds, java.util.function.Supplier<RunningState> running) {
        xnet.model.Datapath datapath = running.get().config().datapath();
        if (!datapath.hook().bpf() && datapath.perInterface().values().stream().noneMatch(xnet.model.Datapath.Hook::bpf)) {
            throw new IllegalStateException("monitor reads the events of xnet's BPF programs; the running datapath is "
                    + datapath.hook() + ", whose rules the kernel's tables hold (their LOG lines go to the kernel log)");
        }
        return bpf.events(kinds, running);
    }

    private static void requireBpf(Config config, String point) {
        if (!xnet.datapath.AttachPoints.hookOf(config, point).bpf()) {
            throw new IllegalStateException("test packet runs xnet's BPF programs; " + point + " runs under datapath "
                    + xnet.datapath.AttachPoints.hookOf(config, point) + ", whose rules the kernel's tables hold");
        }
    }

    @Override
    public List<String> attached() {
        return bpf.attached();
    }

    @Override
    public List<String> verify(RunningState running) {
        return bpf.verify(running);
    }

    @Override
    public void removeAll() {
        bpf.removeAll();
        tables.removeAll();
    }
}
