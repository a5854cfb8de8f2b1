package xnet.service;

import java.util.List;

import xnet.diff.ChangeSet;
import xnet.plan.KernelAction;
import xnet.session.PreviewReport;
import xnet.session.RulesetCheck;

/**
 * What a commit would do: the changes, the kernel steps (ip commands), the datapath's steps in
 * words (rule maps, links), and the dry run of what it would load: the programs' (null when none
 * are needed) or a tables datapath's script and its check (null under tc and xdp).
 */
public record CommitCheck(ChangeSet changes, List<KernelAction> steps, List<String> datapath, PreviewReport programs,
                          RulesetCheck ruleset) {

    public boolean programsVerified() {
        return (programs == null || programs.allVerified()) && (ruleset == null || !ruleset.checked() || ruleset.passed());
    }
}
