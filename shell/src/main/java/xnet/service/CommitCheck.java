package xnet.service;

import java.util.List;

import xnet.diff.ChangeSet;
import xnet.plan.KernelAction;
import xnet.session.PreviewReport;

/** What a commit would do: the changes, the kernel steps, and the programs' dry run (null when none are needed). */
public record CommitCheck(ChangeSet changes, List<KernelAction> steps, PreviewReport programs) {

    public boolean programsVerified() {
        return programs == null || programs.allVerified();
    }
}
