package xnet.session;

import java.util.ArrayList;
import java.util.List;

/** Records commands instead of running them; can be told to fail on one. */
final class FakeKernel implements KernelPort {

    final List<String> log = new ArrayList<>();
    boolean base;
    String failOn;

    @Override
    public boolean baseExists() {
        return base;
    }

    @Override
    public void run(List<String> command) {
        String line = String.join(" ", command);
        if (line.equals(failOn)) {
            throw new KernelException(line + ": RTNETLINK answers: File exists");
        }
        log.add(line);
    }
}
