package xnet.diff;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import xnet.model.Bridge;
import xnet.model.Cidr;
import xnet.model.Config;
import xnet.model.Container;
import xnet.model.Ipv4;

class ChangeSetTest {

    @Test
    void reportsAddedRemovedAndChangedObjects() {
        Config running = Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.0.1.0/24")))
                .withBridge(new Bridge("br2", Cidr.parse("10.0.2.0/24")))
                .withContainer(new Container("a", "br1", Ipv4.parse("10.0.1.2")))
                .withContainer(new Container("b", "br1", Ipv4.parse("10.0.1.3")));
        Config candidate = running.withoutContainer("b").withoutBridge("br2")
                .withBridge(new Bridge("br3", Cidr.parse("10.0.3.0/24")))
                .withContainer(new Container("a", "br1", Ipv4.parse("10.0.1.9")));

        ChangeSet changes = ChangeSet.between(running, candidate);

        assertThat(changes.bridges()).extracting(Change::kind, Change::name).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Change.Kind.REMOVED, "br2"),
                org.assertj.core.groups.Tuple.tuple(Change.Kind.ADDED, "br3"));
        assertThat(changes.containers()).extracting(Change::kind, Change::name).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Change.Kind.CHANGED, "a"),
                org.assertj.core.groups.Tuple.tuple(Change.Kind.REMOVED, "b"));
        assertThat(changes.summary()).isEqualTo("+1 ~1 -2");
    }

    @Test
    void identicalConfigsHaveNoChanges() {
        Config c = Config.EMPTY.withBridge(new Bridge("br1", Cidr.parse("10.0.1.0/24")));
        assertThat(ChangeSet.between(c, c).isEmpty()).isTrue();
    }
}
