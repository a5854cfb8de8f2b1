package xnet.service;

import java.util.List;

import xnet.session.LabStatus;

/**
 * A target as the kernel has it: its namespaces, the running commit and datapath, the BPF links
 * pinned for it, how the attached programs differ from the running config ({@code programs},
 * empty when they match), and the drift an incomplete undo left (empty when the kernel matches).
 */
public record TargetStatus(LabStatus lab, int generation, String datapath, List<String> links, List<String> programs,
                           List<String> drift) {
}
