package xnet.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A kernel test on a lab of its own: made fresh before each test, destroyed with its state after. */
abstract class LabTest {

    protected Xnet xnet;

    /** The lab's name (it*, one per test class). */
    protected abstract String lab();

    @BeforeEach
    void startLab() throws Exception {
        xnet = new Xnet(lab());
    }

    @AfterEach
    void closeLab() throws Exception {
        xnet.close();
    }
}
