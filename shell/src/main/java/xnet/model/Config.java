package xnet.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One whole configuration of a target: what the candidate holds and what a commit makes real.
 * Immutable; every edit returns a new value, so the candidate can be dropped or compared at will.
 */
public record Config(SortedMap<String, Bridge> bridges, SortedMap<String, Container> containers) {

    public static final Config EMPTY = new Config(new TreeMap<>(), new TreeMap<>());

    public Config {
        bridges = frozen(bridges);
        containers = frozen(containers);
    }

    private static <V> SortedMap<String, V> frozen(Map<String, V> map) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(map == null ? Map.of() : map));
    }

    public Config withBridge(Bridge bridge) {
        TreeMap<String, Bridge> next = new TreeMap<>(bridges);
        next.put(bridge.name(), bridge);
        return new Config(next, containers);
    }

    public Config withoutBridge(String name) {
        TreeMap<String, Bridge> next = new TreeMap<>(bridges);
        next.remove(name);
        return new Config(next, containers);
    }

    public Config withContainer(Container container) {
        TreeMap<String, Container> next = new TreeMap<>(containers);
        next.put(container.name(), container);
        return new Config(bridges, next);
    }

    public Config withoutContainer(String name) {
        TreeMap<String, Container> next = new TreeMap<>(containers);
        next.remove(name);
        return new Config(bridges, next);
    }

    public List<Container> containersOn(String bridge) {
        return containers.values().stream().filter(c -> c.bridge().equals(bridge)).toList();
    }

    @JsonIgnore
    public boolean isEmpty() {
        return bridges.isEmpty() && containers.isEmpty();
    }
}
