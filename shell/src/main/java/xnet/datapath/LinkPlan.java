package xnet.datapath;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import xnet.model.Datapath;

/**
 * Which BPF link each attach point gets in a commit, decided from what the candidate wants and
 * which links are pinned: plain data, no syscall. The BPF adapter executes the steps.
 *
 * <p>Only {@link Update} and {@link Detach} wait for apply: a link update swaps the program
 * atomically, and a detach only unpins a link whose fd stays held until the commit is done (so
 * it can be pinned again on revert). Every other step changes a device that has no program
 * doing the same job yet, and is done in prepare, reversibly: a new link on a new or
 * programless device, a new link for a device made anew in this commit (its old link went with
 * the old device), and an XDP mode switch, which the kernel cannot do in one step (it never
 * holds native and generic XDP on one device) and which a temporary tcx link bridges.
 */
public final class LinkPlan {

    /** One attach point's BPF program placement. */
    public record Attachment(String point, String device, Datapath.Hook hook, Datapath.XdpMode mode) {

        public String linkName() {
            return LinkPlan.linkName(device, hook, mode);
        }
    }

    /** A link pinned for the target; defunct when its device is gone or was made anew. */
    public record PinnedLink(String name, boolean defunct) {
    }

    public sealed interface Step permits Create, Update, Replace, SwitchMode, Detach {
        /** Whether the step is done at apply (a swap) rather than in prepare. */
        default boolean atApply() {
            return false;
        }
    }

    /** A first link on the device for this hook (prepare). */
    public record Create(Attachment at) implements Step {
    }

    /** Swap the program of the pinned link (apply). */
    public record Update(Attachment at) implements Step {
        @Override
        public boolean atApply() {
            return true;
        }
    }

    /** The device was made anew: drop its defunct link, create a new one (prepare). */
    public record Replace(Attachment at) implements Step {
    }

    /** XDP changes mode: bridge with tcx, drop the old-mode link, create the new-mode one (prepare). */
    public record SwitchMode(Attachment at, String oldLink) implements Step {
    }

    /** A link no attach point wants any more: unpinned at apply, detached when the commit is done. */
    public record Detach(String link) implements Step {
        @Override
        public boolean atApply() {
            return true;
        }
    }

    private LinkPlan() {
    }

    /** "v-web+tc", "v-web+xdp-generic": bpffs refuses names with a dot; device names never contain "+". */
    public static String linkName(String device, Datapath.Hook hook, Datapath.XdpMode mode) {
        return device + "+" + hook + (hook == Datapath.Hook.XDP ? "-" + mode : "");
    }

    /** The device a link name was made for. */
    public static String deviceOf(String linkName) {
        int plus = linkName.lastIndexOf('+');
        return plus < 0 ? linkName : linkName.substring(0, plus);
    }

    /** The steps, attach points in the given order, then the detaches in name order. */
    public static List<Step> steps(List<Attachment> wanted, List<PinnedLink> pinned) {
        Map<String, PinnedLink> byName = new HashMap<>();
        pinned.forEach(link -> byName.put(link.name(), link));
        Set<String> kept = new HashSet<>();
        List<Step> steps = new ArrayList<>();
        for (Attachment at : wanted) {
            String name = at.linkName();
            PinnedLink same = byName.get(name);
            if (same != null) {
                kept.add(name);
                steps.add(same.defunct() ? new Replace(at) : new Update(at));
                continue;
            }
            if (at.hook() == Datapath.Hook.XDP) {
                String otherMode = linkName(at.device(), at.hook(), other(at.mode()));
                PinnedLink old = byName.get(otherMode);
                if (old != null && !old.defunct()) {
                    kept.add(otherMode);
                    steps.add(new SwitchMode(at, otherMode));
                    continue;
                }
            }
            steps.add(new Create(at));
        }
        pinned.stream().map(PinnedLink::name).filter(n -> !kept.contains(n)).sorted()
                .forEach(n -> steps.add(new Detach(n)));
        return steps;
    }

    /**
     * The programs to load: one per hook the attachments use, and a tc program as well when an
     * XDP mode switch needs the tcx bridge and no attach point uses tc.
     */
    public static List<Datapath.Hook> programs(List<Attachment> wanted, List<Step> steps) {
        List<Datapath.Hook> hooks = new ArrayList<>();
        wanted.forEach(at -> {
            if (!hooks.contains(at.hook())) {
                hooks.add(at.hook());
            }
        });
        boolean bridging = steps.stream().anyMatch(s -> s instanceof SwitchMode);
        if (bridging && !hooks.contains(Datapath.Hook.TC)) {
            hooks.add(Datapath.Hook.TC);
        }
        return hooks;
    }

    private static Datapath.XdpMode other(Datapath.XdpMode mode) {
        return mode == Datapath.XdpMode.NATIVE ? Datapath.XdpMode.GENERIC : Datapath.XdpMode.NATIVE;
    }
}
