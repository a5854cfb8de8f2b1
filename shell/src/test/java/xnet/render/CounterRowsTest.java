package xnet.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import xnet.session.CounterSnapshot;

class CounterRowsTest {

    private static CounterSnapshot snapshot(long p1, long p2, long p3, long fallthrough) {
        return new CounterSnapshot(List.of(new CounterSnapshot.RuleCount("1", "drop a", p1, p1 * 100),
                new CounterSnapshot.RuleCount("2", "drop b", p2, p2 * 10),
                new CounterSnapshot.RuleCount("3", "drop c", p3, p3 * 1000),
                new CounterSnapshot.RuleCount("default", "allow", fallthrough, fallthrough)), List.of());
    }

    @Test
    void ratesAreMeasuredBetweenTwoReadingsAndTheFirstHasNone() {
        List<CounterRows.Row> first = CounterRows.of(snapshot(10, 20, 30, 5), null, 0, null, 0);
        assertThat(first).extracting(CounterRows.Row::packetsPerSecond).containsOnlyNulls();
        List<CounterRows.Row> next = CounterRows.of(snapshot(30, 20, 31, 5), snapshot(10, 20, 30, 5), 2.0, null, 0);
        assertThat(next).extracting(CounterRows.Row::packetsPerSecond).containsExactly(10.0, 0.0, 0.5, 0.0);
        assertThat(next.get(0).bytesPerSecond()).isEqualTo(1000.0);
    }

    @Test
    void sortingAndTopKeepTheDefaultLast() {
        assertThat(CounterRows.of(snapshot(10, 20, 30, 99), null, 0, CounterRows.Order.PACKETS, 0))
                .extracting(CounterRows.Row::rule).containsExactly("3", "2", "1", "default");
        assertThat(CounterRows.of(snapshot(10, 20, 30, 99), null, 0, CounterRows.Order.BYTES, 2))
                .extracting(CounterRows.Row::rule).containsExactly("3", "1", "default");
        assertThat(CounterRows.of(snapshot(30, 20, 31, 5), snapshot(10, 20, 30, 5), 1, CounterRows.Order.RATE, 1))
                .extracting(CounterRows.Row::rule).containsExactly("1", "default");
        assertThat(CounterRows.rate(1234567.0)).isEqualTo("1.2M");
        assertThat(CounterRows.rate(null)).isEqualTo("-");
    }
}
