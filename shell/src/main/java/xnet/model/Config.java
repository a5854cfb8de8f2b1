package xnet.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One whole configuration of a target: what the candidate holds and what a commit makes real.
 * Immutable; every edit returns a new value, so the candidate can be dropped or compared at will.
 * Rule ids come from counters kept here, so an id is never given twice along one history.
 */
public record Config(SortedMap<String, Bridge> bridges, SortedMap<String, Container> containers,
                     List<FilterRule> filters, FilterRule.Action defaultAction, List<NatRule> nats,
                     Datapath datapath, int nextFilterId, int nextNatId, SortedMap<String, Tunnel> tunnels) {

    public static final Config EMPTY = new Config(null, null, null, null, null, null, 1, 1, null);

    public Config {
        bridges = frozen(bridges);
        containers = frozen(containers);
        tunnels = frozen(tunnels);
        filters = FilterList.of(filters); // shared on append: see FilterList
        defaultAction = defaultAction == null ? FilterRule.Action.ALLOW : defaultAction;
        nats = nats == null ? List.of() : List.copyOf(nats);
        datapath = datapath == null ? Datapath.DEFAULT : datapath;
        nextFilterId = Math.max(nextFilterId, 1);
        nextNatId = Math.max(nextNatId, 1);
    }

    private static <V> SortedMap<String, V> frozen(Map<String, V> map) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(map == null ? Map.of() : map));
    }

    public Config withBridge(Bridge bridge) {
        TreeMap<String, Bridge> next = new TreeMap<>(bridges);
        next.put(bridge.name(), bridge);
        return withBridges(next);
    }

    public Config withoutBridge(String name) {
        TreeMap<String, Bridge> next = new TreeMap<>(bridges);
        next.remove(name);
        return withBridges(next);
    }

    public Config withContainer(Container container) {
        TreeMap<String, Container> next = new TreeMap<>(containers);
        next.put(container.name(), container);
        return withContainers(next);
    }

    public Config withoutContainer(String name) {
        TreeMap<String, Container> next = new TreeMap<>(containers);
        next.remove(name);
        return withContainers(next);
    }

    private Config withBridges(SortedMap<String, Bridge> next) {
        return new Config(next, containers, filters, defaultAction, nats, datapath, nextFilterId, nextNatId, tunnels);
    }

    private Config withContainers(SortedMap<String, Container> next) {
        return new Config(bridges, next, filters, defaultAction, nats, datapath, nextFilterId, nextNatId, tunnels);
    }

    /** Inserts a rule with the next id at the index (or at the end when index is the size). */
    public Config withFilterAt(int index, FilterRule rule) {
        FilterList next = ((FilterList) filters).insert(index, rule);
        return new Config(bridges, containers, next, defaultAction, nats, datapath, Math.max(nextFilterId, rule.id() + 1),
                nextNatId, tunnels);
    }

    public Config withFilters(List<FilterRule> next) {
        return new Config(bridges, containers, next, defaultAction, nats, datapath, nextFilterId, nextNatId, tunnels);
    }

    public Config withDefaultAction(FilterRule.Action action) {
        return new Config(bridges, containers, filters, action, nats, datapath, nextFilterId, nextNatId, tunnels);
    }

    public Config withNat(NatRule rule) {
        List<NatRule> next = new ArrayList<>(nats);
        next.add(rule);
        return new Config(bridges, containers, filters, defaultAction, next, datapath, nextFilterId,
                Math.max(nextNatId, rule.id() + 1), tunnels);
    }

    public Config withNats(List<NatRule> next) {
        return new Config(bridges, containers, filters, defaultAction, next, datapath, nextFilterId, nextNatId, tunnels);
    }

    public Config withDatapath(Datapath next) {
        return new Config(bridges, containers, filters, defaultAction, nats, next, nextFilterId, nextNatId, tunnels);
    }

    public Config withTunnel(Tunnel tunnel) {
        TreeMap<String, Tunnel> next = new TreeMap<>(tunnels);
        next.put(tunnel.name(), tunnel);
        return new Config(bridges, containers, filters, defaultAction, nats, datapath, nextFilterId, nextNatId, next);
    }

    public Config withoutTunnel(String name) {
        TreeMap<String, Tunnel> next = new TreeMap<>(tunnels);
        next.remove(name);
        return new Config(bridges, containers, filters, defaultAction, nats, datapath, nextFilterId, nextNatId, next);
    }

    /** The tunnel joined to a bridge, if any (a bridge carries at most one VNI). */
    public java.util.Optional<Tunnel> tunnelOn(String bridge) {
        return tunnels.values().stream().filter(t -> t.bridge().equals(bridge)).findFirst();
    }

    public List<Container> containersOn(String bridge) {
        return containers.values().stream().filter(c -> c.bridge().equals(bridge)).toList();
    }

    @JsonIgnore
    public boolean isEmpty() {
        return bridges.isEmpty() && containers.isEmpty() && filters.isEmpty() && nats.isEmpty() && tunnels.isEmpty();
    }

    /** The same objects and rules: what commit compares to decide whether there is anything to do. */
    public boolean sameAs(Config other) {
        return bridges.equals(other.bridges) && containers.equals(other.containers) && filters.equals(other.filters)
                && defaultAction == other.defaultAction && nats.equals(other.nats) && datapath.equals(other.datapath)
                && tunnels.equals(other.tunnels);
    }
}
