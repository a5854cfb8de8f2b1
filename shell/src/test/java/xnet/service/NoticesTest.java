package xnet.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each session reads each notice once, from the ones posted after it started; only the newest are kept. */
class NoticesTest {

    @Test
    void aSessionReadsWhatCameAfterItStartedOnce() {
        Notices notices = new Notices();
        notices.post("before");
        long session = notices.newest();
        notices.post("rolled back");
        assertThat(notices.after(session)).containsExactly("rolled back");
        for (int i = 0; i < Notices.KEPT + 5; i++) {
            notices.post("n" + i);
        }
        assertThat(notices.after(0)).hasSize(Notices.KEPT).startsWith("n5").endsWith("n" + (Notices.KEPT + 4));
        assertThat(notices.after(notices.newest())).isEmpty();
    }
}
