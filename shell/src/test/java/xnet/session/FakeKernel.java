package xnet.session;

import java.util.ArrayList;
import java.util.List;

/** Records commands instead of running them; can be told to fail on one. */
public final class FakeKernel implements KernelPort {

    public final List<String> log = new ArrayList<>();
    public boolean base;
    String failOn;
    /** A second command that fails, e.g. an undo. */
    String failAlso;

    @Override
    public boolean baseExists() {
        return base;
    }

    @Override
    public LabStatus status(xnet.model.Config running, boolean committed) {
        return new LabStatus("fake", List.of(), List.of(), List.of(), List.of());
    }

    @Override
    public List<String> destroy(xnet.model.Config running) {
        log.add("destroy");
        return List.of();
    }

    /** Checks (the onlyIf of a step) fail for commands that contain this text. */
    public String absent;

    @Override
    public boolean succeeds(List<String> command) {
        String line = String.join(" ", command);
        log.add("check " + line);
        return absent == null || !line.contains(absent);
    }

    @Override
    public boolean namespaceExists(String namespace) {
        return base;
    }

    @Override
    public int exec(String namespace, List<String> command, boolean terminal, java.io.InputStream input,
                    java.io.OutputStream out,
                    java.io.OutputStream err) {
        log.add("exec " + namespace + " " + String.join(" ", command));
        return 0;
    }

    @Override
    public void run(List<String> command) {
        String line = String.join(" ", command);
        if (line.equals(failOn) || line.equals(failAlso)) {
            throw new KernelException(line + ": RTNETLINK answers: File exists");
        }
        log.add(line);
    }
}
