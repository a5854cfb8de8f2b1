package xnet.shell;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;


import xnet.grammar.CommandSpec;
import xnet.grammar.Element;
import xnet.grammar.Suggestion;
import xnet.grammar.ValueSource;
import xnet.grammar.ValueType;
import xnet.model.Bridge;
import xnet.model.Cidr;
import xnet.model.Cidr6;
import xnet.model.ConfigEditor;
import xnet.model.Config;
import xnet.model.Container;
import xnet.profile.ProfileLibrary;
import xnet.service.TargetService;
import xnet.session.CommitRecord;

/** Completion values read from the session: names of bridges, containers, profiles and commits. */
public class SessionValues implements ValueSource {

    private final TargetService target;
    private final ProfileLibrary profiles;
    private final Path cwd;

    /** {@code cwd}: the user's working directory, where batch files are offered from. */
    public SessionValues(TargetService target, ProfileLibrary profiles, Path cwd) {
        this.target = target;
        this.profiles = profiles;
        this.cwd = cwd;
    }

    @Override
    public List<Suggestion> values(ValueType type) {
        Config candidate = target.candidate();
        try {
            return switch (type) {
                case BRIDGE -> candidate.bridges().values().stream().map(SessionValues::describe).toList();
                case CONTAINER -> candidate.containers().values().stream().map(SessionValues::describe).toList();
                case TUNNEL -> candidate.tunnels().values().stream()
                        .map(t -> new Suggestion(t.name(), "VNI " + t.vni() + " to " + t.remote() + " on " + t.bridge()))
                        .toList();
                case ENDPOINT -> endpoints();
                case PROFILE -> profiles.list().stream()
                        .map(p -> new Suggestion(p.name(), p.origin() + " profile")).toList();
                case COMMIT -> target.history().stream().map(SessionValues::describe).toList();
                case FILE -> batchFiles(cwd);
                case FILTER_RULE -> candidate.filters().stream()
                        .map(r -> new Suggestion(Integer.toString(r.id()), r.text())).toList();
                case NAT_RULE -> candidate.nats().stream()
                        .map(r -> new Suggestion(Integer.toString(r.id()), r.text())).toList();
                case ATTACH -> attachPoints(candidate);
                case STATES -> List.of(new Suggestion("established,related", "replies and their ICMP errors"),
                        new Suggestion("new", "a connection's opening packets, before any reply"),
                        new Suggestion("established", "a connection that has seen packets both ways"),
                        new Suggestion("related", "an ICMP error about a known connection"));
                default -> List.of();
            };
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Suggestions that depend on the place: the next free subnet or address, the model's addresses. */
    @Override
    public List<Suggestion> values(CommandSpec spec, Element.Value value, Map<String, String> given) {
        Config candidate = target.candidate();
        List<Suggestion> out = new ArrayList<>();
        switch (value.type()) {
            case CIDR -> {
                if (spec.name().equals("bridge add")) {
                    Cidr free = ConfigEditor.nextFreeSubnet(candidate, target.layout().reservedSubnets());
                    if (free != null) {
                        out.add(new Suggestion(free.toString(), "the next free /24"));
                    }
                }
            }
            case CIDR6 -> {
                Cidr6 free = ConfigEditor.nextFreeSubnet6(candidate);
                if (free != null) {
                    out.add(new Suggestion(free.toString(), "the next free /64"));
                }
            }
            case IPV6 -> candidate.bridges().values().stream()
                    .filter(b -> b.subnet6() != null && (given.get("bridge") == null || b.name().equals(given.get("bridge"))))
                    .forEach(b -> out.add(new Suggestion(ConfigEditor.nextFreeAddress6(candidate, b).toString(),
                            "the next free IPv6 address on " + b.name())));
            case IPV4 -> {
                if (value.key().equals("ip")) {
                    candidate.bridges().values().stream()
                            .filter(b -> given.get("bridge") == null || b.name().equals(given.get("bridge")))
                            .forEach(b -> nextFree(candidate, b, out));
                }
            }
            case PREFIX -> {
                candidate.bridges().values().forEach(b -> out.add(new Suggestion(b.subnet().toString(), "bridge " + b.name())));
                candidate.containers().values().forEach(c -> out.add(new Suggestion(c.ip().toString(), "container " + c.name())));
            }
            case TEXT -> {
                if (value.key().equals("private")) {
                    candidate.containers().values().forEach(c -> out.add(
                            Suggestion.part(c.ip() + ":", "container " + c.name() + ", then its port")));
                }
            }
            default -> out.addAll(values(value.type()));
        }
        return out;
    }

    private static void nextFree(Config candidate, Bridge bridge, List<Suggestion> out) {
        try {
            out.add(new Suggestion(ConfigEditor.nextFreeAddress(candidate, bridge).toString(),
                    "the next free address on " + bridge.name()));
        } catch (xnet.model.ConfigException full) {
            // a full bridge offers nothing: `container add` will say so
        }
    }

    private List<Suggestion> endpoints() throws IOException {
        List<Suggestion> out = new ArrayList<>();
        target.running().config().containers().values().forEach(c -> out.add(describe(c)));
        if (target.layout().lab()) {
            out.add(new Suggestion("host", "the lab's host namespace"));
            out.add(new Suggestion("outside", "the lab's outside world (" + target.layout().outsideAddress() + ")"));
        }
        return out;
    }

    private List<Suggestion> attachPoints(Config candidate) {
        List<Suggestion> out = new ArrayList<>();
        if (target.layout().lab()) {
            out.add(new Suggestion("uplink", "the lab's uplink (outside -> containers)"));
        }
        candidate.containers().values().forEach(c -> out.add(new Suggestion(c.name(), "host side of " + c.name())));
        candidate.tunnels().values().forEach(t -> out.add(new Suggestion(t.device(), "frames from tunnel " + t.name())));
        return out;
    }

    private static Suggestion describe(Bridge b) {
        return new Suggestion(b.name(), b.subnet().toString());
    }

    private static Suggestion describe(Container c) {
        return new Suggestion(c.name(), c.bridge() + " " + c.ip());
    }

    private static Suggestion describe(CommitRecord r) {
        String comment = r.comment() == null || r.comment().isEmpty() ? "" : " " + r.comment();
        return new Suggestion(Integer.toString(r.number()), r.at() + " " + r.summary() + comment);
    }

    /** *.xnet files in the working directory and in profiles/, as relative paths. */
    private static List<Suggestion> batchFiles(Path cwd) {
        List<Suggestion> out = new ArrayList<>();
        for (String relative : List.of("", "profiles")) {
            Path dir = cwd.resolve(relative);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(f -> f.toString().endsWith(".xnet"))
                        .map(f -> relative.isEmpty() ? f.getFileName().toString() : relative + "/" + f.getFileName())
                        .sorted().forEach(f -> out.add(new Suggestion(f, "batch file")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }
}
