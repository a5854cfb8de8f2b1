package xnet.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;

import xnet.compile.SlotPlan;
import xnet.diff.FilterDelta;
import xnet.model.Config;
import xnet.model.FilterRule;
import xnet.session.CommitIntent;
import xnet.session.CommitRecord;
import xnet.session.DamagedStateException;
import xnet.session.DatapathState;
import xnet.session.PendingConfirm;
import xnet.session.RunningState;
import xnet.session.StateStore;

/**
 * A target's state directory: history/NNNNNN.json (one file per commit), running.json (which
 * commit runs, and the interface indexes of its attach points) and a lock file.
 *
 * <p>A history file holds either the whole config and every rule's counter slot (a snapshot),
 * or what changed since the commit before it: the rules removed, the rules added with their
 * places and slots, and the rest of the config, which is small. A commit that changes one rule
 * of a million thus writes a few hundred bytes. A snapshot is written for the first commit, for
 * big changes, and after {@link #MAX_CHAIN} changes in a row, so that reading any commit replays
 * a bounded number of files. Every file is written to a temporary name, forced to disk and
 * renamed, so a reader sees the old or the new file whole and a crash never leaves half a config.
 */
public final class FileStateStore implements StateStore {

    /** At most this many change files are replayed on top of a snapshot. */
    static final int MAX_CHAIN = 50;

    private final Path dir;
    private final ObjectMapper json = Json.STATE;
    /** The last running state read or written, with the stamp of its commit. */
    private RunningState cached;
    private String cachedStamp;
    private Integer cachedChain;

    public FileStateStore(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /**
     * running.json: the running commit, a stamp unique to it (a lab destroyed and made again
     * counts from 1 again) and the interface indexes of the attach points (new after `lab rebuild`).
     */
    record Pointer(int generation, String stamp, Map<String, Integer> ifindexes) {
    }

    /** One history file: a snapshot ({@code config} set) or a change from the commit before ({@code rest} set). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(int number, String at, String user, String comment, String summary, String stamp, Integer chain,
                 Config config, Config rest, List<Integer> removed, List<Placement> added,
                 Map<Integer, Integer> slots) {
    }

    /** A rule and the id of the rule it follows (0: first). */
    record Placement(FilterRule rule, int after) {
    }

    private Pointer pointer() throws IOException {
        Path file = dir.resolve("running.json");
        if (!Files.exists(file)) {
            return null;
        }
        Pointer pointer = readJson(file, Pointer.class);
        if (pointer == null || pointer.generation() < 1) {
            throw new DamagedStateException(file, "no commit number");
        }
        if (pointer.stamp() == null || pointer.stamp().isBlank()) {
            throw new DamagedStateException(file, "no stamp");
        }
        return pointer.ifindexes() != null ? pointer
                : new Pointer(pointer.generation(), pointer.stamp(), Map.of());
    }

    /** A whole JSON file as {@code type}; anything else is a damaged file, named in one line. */
    private <T> T readJson(Path file, Class<T> type) throws IOException {
        try {
            return json.readValue(file.toFile(), type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DamagedStateException(file, Files.size(file) == 0 ? "empty" : reason(e));
        }
    }

    /** Jackson's message without its location lines and source excerpts, at most 120 characters. */
    private static String reason(com.fasterxml.jackson.core.JsonProcessingException e) {
        String message = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("unreadable").strip();
        return message.length() > 120 ? message.substring(0, 117) + "..." : message;
    }

    @Override
    public RunningState running() throws IOException {
        Pointer pointer = pointer();
        if (pointer == null) {
            return RunningState.NONE;
        }
        if (cached != null && cached.generation() == pointer.generation() && pointer.stamp().equals(cachedStamp)) {
            // the history removed under a running daemon is found at its next command, as at a
            // start: one stat of the running commit's file (a start reads the whole chain)
            if (!Files.exists(historyFile(pointer.generation()))) {
                throw new DamagedStateException(historyFile(pointer.generation()),
                        "missing (commit " + pointer.generation() + " is part of the running config)");
            }
        } else {
            Rebuilt state = rebuild(pointer.generation());
            cached = new RunningState(pointer.generation(), state.config, new DatapathState(
                    new SlotPlan(state.slots, List.of()), Map.of()));
            cachedStamp = pointer.stamp();
            cachedChain = state.chain();
        }
        return withIfindexes(cached, pointer);
    }

    private static RunningState withIfindexes(RunningState state, Pointer pointer) {
        return new RunningState(state.generation(), state.config(),
                new DatapathState(state.datapath().slots(), pointer.ifindexes()));
    }

    @Override
    public RunningState running(int generation, RunningState known) throws IOException {
        Pointer pointer = pointer();
        if (pointer == null) {
            return RunningState.NONE;
        }
        if (pointer.generation() == generation && known.generation() == generation) {
            return withIfindexes(known, pointer);
        }
        return running();
    }

    private record Rebuilt(Config config, Map<Integer, Integer> slots, int chain) {
    }

    /** The config and slots of a commit: its snapshot, then the changes after it, in order. */
    private Rebuilt rebuild(int number) throws IOException {
        java.util.ArrayDeque<Entry> changes = new java.util.ArrayDeque<>();
        Entry entry = read(number);
        while (entry.config() == null) {
            changes.push(entry);
            entry = read(entry.number() - 1);
        }
        Config config = entry.config();
        int chain = changes.size();
        Map<Integer, Integer> slots = new HashMap<>(entry.slots() == null ? Map.of() : entry.slots());
        while (!changes.isEmpty()) {
            Entry change = changes.pop();
            List<FilterDelta.Placed> placed = new ArrayList<>(change.added().size());
            change.added().forEach(p -> placed.add(new FilterDelta.Placed(p.rule(), p.after(), -1)));
            try {
                config = change.rest().withFilters(FilterDelta.apply(config.filters(), change.removed(), placed));
            } catch (RuntimeException inconsistent) {
                throw new DamagedStateException(historyFile(change.number()),
                        "its change does not fit the commit before it (" + inconsistent.getMessage() + ")");
            }
            change.removed().forEach(slots::remove);
            slots.putAll(change.slots());
        }
        return new Rebuilt(config, slots, chain);
    }

    private Entry read(int number) throws IOException {
        Path file = historyFile(number);
        if (!Files.exists(file)) {
            throw new DamagedStateException(file, "missing (commit " + number + " is part of the running config)");
        }
        Entry entry = readJson(file, Entry.class);
        boolean snapshot = entry != null && entry.config() != null;
        boolean change = entry != null && entry.rest() != null && entry.removed() != null && entry.added() != null
                && entry.slots() != null;
        if (entry == null || entry.number() != number || !(snapshot || change)) {
            throw new DamagedStateException(file, entry == null || entry.number() != number
                    ? "it is not commit " + number : "it holds neither a config nor a change");
        }
        return entry;
    }

    @Override
    public List<CommitRecord> history() throws IOException {
        Path history = dir.resolve("history");
        if (!Files.isDirectory(history)) {
            Pointer pointer = pointer();
            if (pointer != null) {
                throw new DamagedStateException(history, "missing (the running config is commit "
                        + pointer.generation() + ")");
            }
            return List.of();
        }
        List<CommitRecord> records = new ArrayList<>();
        try (Stream<Path> files = Files.list(history)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted(Comparator.naturalOrder()).toList()) {
                records.add(summary(file));
            }
        }
        int current = generation();
        // Entries beyond the running generation are left over from a crash between the two writes.
        return records.stream().filter(r -> r.number() <= current).toList();
    }

    /**
     * A history entry without its config (null): the summary fields come first in the file, so
     * reading stops where the config or the changes begin, however many rules they hold.
     */
    private CommitRecord summary(Path file) throws IOException {
        try {
            return summaryFields(file);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | ClassCastException | NullPointerException e) {
            throw new DamagedStateException(file, Files.size(file) == 0 ? "empty"
                    : e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? reason(j) : "fields of the wrong type");
        }
    }

    private CommitRecord summaryFields(Path file) throws IOException {
        java.util.Map<String, Object> fields = new java.util.HashMap<>();
        try (com.fasterxml.jackson.core.JsonParser parser = json.getFactory().createParser(file.toFile())) {
            parser.nextToken(); // {
            while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (parser.currentToken().isStructStart()) {
                    break;
                }
                fields.put(name, parser.currentToken().isNumeric() ? parser.getIntValue() : parser.getValueAsString());
            }
        }
        if (!(fields.get("number") instanceof Integer)) {
            throw new DamagedStateException(file, "no commit number");
        }
        return new CommitRecord((Integer) fields.get("number"), (String) fields.get("at"),
                (String) fields.get("user"), (String) fields.get("comment"), (String) fields.get("summary"), null);
    }

    private int generation() throws IOException {
        Pointer pointer = pointer();
        return pointer == null ? 0 : pointer.generation();
    }

    @Override
    public Optional<CommitRecord> commit(int number) throws IOException {
        if (number < 1 || !Files.exists(historyFile(number)) || number > generation()) {
            return Optional.empty();
        }
        Entry entry = read(number);
        Rebuilt state = rebuild(number);
        return Optional.of(new CommitRecord(number, entry.at(), entry.user(), entry.comment(), entry.summary(),
                state.config(), new DatapathState(new SlotPlan(state.slots(), List.of()), Map.of())));
    }

    @Override
    public void record(CommitRecord record) throws IOException {
        record(record, null);
    }

    @Override
    public void record(CommitRecord record, FilterDelta sincePrevious) throws IOException {
        String stamp = java.util.UUID.randomUUID().toString();
        Map<Integer, Integer> slots = record.datapath().slots().slotOfRule();
        Entry entry = null;
        Pointer previous = pointer();
        if (sincePrevious != null && previous != null && previous.generation() == record.number() - 1) {
            Integer chain = chainOf(record.number() - 1);
            int rules = record.config().filters().size();
            if (chain != null && chain < MAX_CHAIN && sincePrevious.size() <= Math.max(1024, rules / 2)) {
                List<Placement> added = new ArrayList<>(sincePrevious.added().size());
                Map<Integer, Integer> addedSlots = new HashMap<>();
                for (FilterDelta.Placed p : sincePrevious.added()) {
                    added.add(new Placement(p.rule(), p.after()));
                    addedSlots.put(p.rule().id(), slots.getOrDefault(p.rule().id(), 0));
                }
                entry = new Entry(record.number(), record.at(), record.user(), record.comment(), record.summary(),
                        stamp, chain + 1, null, record.config().withFilters(List.of()),
                        sincePrevious.removed().stream().map(FilterRule::id).toList(), added, addedSlots);
            }
        }
        if (entry == null) {
            entry = new Entry(record.number(), record.at(), record.user(), record.comment(), record.summary(), stamp, 0,
                    record.config(), null, null, null, slots);
        }
        writeAtomically(historyFile(record.number()), json.writeValueAsBytes(entry));
        writeAtomically(dir.resolve("running.json"), json.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(new Pointer(record.number(), stamp, record.datapath().ifindexes())));
        cached = new RunningState(record.number(), record.config(), record.datapath());
        cachedStamp = stamp;
        cachedChain = entry.chain();
    }

    /** How many change files lead from the last snapshot to this commit; null if unknown. */
    private Integer chainOf(int number) throws IOException {
        if (cached != null && cached.generation() == number && cachedChain != null) {
            return cachedChain;
        }
        Path file = historyFile(number);
        if (!Files.exists(file)) {
            return null;
        }
        try (com.fasterxml.jackson.core.JsonParser parser = json.getFactory().createParser(file.toFile())) {
            parser.nextToken();
            while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (name.equals("chain")) {
                    return parser.getIntValue();
                }
                if (parser.currentToken().isStructStart()) {
                    return null;
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException unreadable) {
            return null; // unknown: the next commit writes a snapshot
        }
        return null;
    }

    @Override
    public void updateDatapath(DatapathState datapath) throws IOException {
        Pointer pointer = pointer();
        if (pointer == null) {
            return;
        }
        writeAtomically(dir.resolve("running.json"), json.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(new Pointer(pointer.generation(), pointer.stamp(), datapath.ifindexes())));
    }

    @Override
    public AutoCloseable lock() throws IOException {
        Files.createDirectories(dir);
        FileChannel channel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.lock();
        return () -> {
            lock.release();
            channel.close();
        };
    }

    /** drift.json: what an incomplete undo left, as lines; absent when there is no drift. */
    @Override
    public void recordDrift(List<String> problems) throws IOException {
        List<String> all = new ArrayList<>(drift());
        all.addAll(problems);
        writeAtomically(dir.resolve("drift.json"), json.writeValueAsBytes(all));
    }

    @Override
    public List<String> drift() throws IOException {
        Path file = dir.resolve("drift.json");
        if (!Files.exists(file)) {
            return List.of();
        }
        String[] lines = readJson(file, String[].class);
        return lines == null ? List.of() : List.of(lines);
    }

    @Override
    public void clearDrift() throws IOException {
        Files.deleteIfExists(dir.resolve("drift.json"));
    }

    /** pending-confirm.json: the commit awaiting confirmation and its deadline; absent when none. */
    @Override
    public void writePending(PendingConfirm pending) throws IOException {
        writeAtomically(dir.resolve("pending-confirm.json"), json.writeValueAsBytes(pending));
    }

    @Override
    public Optional<PendingConfirm> pending() throws IOException {
        Path file = dir.resolve("pending-confirm.json");
        return Files.exists(file) ? Optional.of(readJson(file, PendingConfirm.class)) : Optional.empty();
    }

    @Override
    public void clearPending() throws IOException {
        Files.deleteIfExists(dir.resolve("pending-confirm.json"));
    }

    /** Removes the whole state directory (used by `lab destroy`). */
    @Override
    public void delete() throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /**
     * intent.json: a commit under way (its rules as a change from commit {@code from}, like a
     * history file, when known); intent-undo.jsonl: one line per kernel step about to run, the
     * commands that take it back.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record IntentFile(int from, int to, CommitIntent.Phase phase, Config config, Config rest, List<Integer> removed,
                      List<Placement> added) {
    }

    @Override
    public void writeIntent(CommitIntent intent) throws IOException {
        IntentFile file;
        if (intent.filters() != null) {
            List<Placement> added = intent.filters().added().stream().map(p -> new Placement(p.rule(), p.after())).toList();
            file = new IntentFile(intent.from(), intent.to(), intent.phase(), null, intent.config().withFilters(List.of()),
                    intent.filters().removed().stream().map(FilterRule::id).toList(), added);
        } else {
            file = new IntentFile(intent.from(), intent.to(), intent.phase(), intent.config(), null, null, null);
        }
        if (intent.phase() == CommitIntent.Phase.TOPOLOGY) {
            Files.deleteIfExists(dir.resolve("intent-undo.jsonl"));
        }
        writeUnforced(dir.resolve("intent.json"), json.writeValueAsBytes(file));
    }

    @Override
    public void journalUndo(List<List<String>> step) throws IOException {
        byte[] line = (json.writeValueAsString(step) + "\n").getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("intent-undo.jsonl"), line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Override
    public Optional<CommitIntent> intent() throws IOException {
        Path path = dir.resolve("intent.json");
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        IntentFile file = readJson(path, IntentFile.class);
        Config config = file.config();
        if (config == null) {
            Config before = file.from() == 0 ? Config.EMPTY : rebuild(file.from()).config();
            List<FilterDelta.Placed> placed = new ArrayList<>();
            file.added().forEach(p -> placed.add(new FilterDelta.Placed(p.rule(), p.after(), -1)));
            config = file.rest().withFilters(FilterDelta.apply(before.filters(), file.removed(), placed));
        }
        List<List<List<String>>> undo = new ArrayList<>();
        Path journal = dir.resolve("intent-undo.jsonl");
        if (Files.exists(journal)) {
            for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
                try {
                    undo.add(json.readValue(line, new com.fasterxml.jackson.core.type.TypeReference<List<List<String>>>() { }));
                } catch (com.fasterxml.jackson.core.JsonProcessingException torn) {
                    // a line cut short by the kill: its step had not begun
                }
            }
        }
        return Optional.of(new CommitIntent(file.from(), file.to(), file.phase(), config, null, undo));
    }

    @Override
    public void clearIntent() throws IOException {
        Files.deleteIfExists(dir.resolve("intent.json"));
        Files.deleteIfExists(dir.resolve("intent-undo.jsonl"));
    }

    private static void writeUnforced(Path target, byte[] content) throws IOException {
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        Files.write(temp, content);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public Optional<RunningState> newestReadable() throws IOException {
        for (int number : historyNumbers()) {
            try {
                Rebuilt state = rebuild(number);
                return Optional.of(new RunningState(number, state.config(),
                        new DatapathState(new SlotPlan(state.slots(), List.of()), Map.of())));
            } catch (DamagedStateException unreadable) {
                // an older one, then
            }
        }
        return Optional.empty();
    }

    @Override
    public Repair repair() throws IOException {
        Path aside = dir.resolve("damaged-" + java.time.Instant.now().toString().replace(':', '-'));
        List<String> moved = new ArrayList<>();
        Pointer pointer = null;
        try {
            pointer = pointer();
        } catch (DamagedStateException damaged) {
            moveAside(damaged.file(), aside, moved);
        }
        try {
            drift();
        } catch (DamagedStateException damaged) {
            moveAside(damaged.file(), aside, moved);
        }
        for (int number : historyNumbers()) {
            try {
                read(number);
            } catch (DamagedStateException damaged) {
                moveAside(damaged.file(), aside, moved);
            }
        }
        int running = 0;
        for (int number : historyNumbers()) {
            if (pointer != null && number > pointer.generation()) {
                continue; // left by a commit that never finished: not part of the history
            }
            try {
                rebuild(number);
                running = number;
                break;
            } catch (DamagedStateException broken) {
                moveAside(historyFile(number), aside, moved); // its chain is broken
            }
        }
        if (pointer != null && pointer.generation() == running) {
            return new Repair(running, false, moved, moved.isEmpty() ? null : aside.toString());
        }
        for (int number : historyNumbers()) {
            if (number > running) {
                moveAside(historyFile(number), aside, moved); // the next commits take these numbers
            }
        }
        Path file = dir.resolve("running.json");
        if (running == 0) {
            if (Files.exists(file)) {
                moveAside(file, aside, moved);
            }
        } else {
            writeAtomically(file, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(new Pointer(running,
                    java.util.UUID.randomUUID().toString(), pointer == null ? Map.of() : pointer.ifindexes())));
        }
        cached = null;
        return new Repair(running, true, moved, moved.isEmpty() ? null : aside.toString());
    }

    private static void moveAside(Path file, Path aside, List<String> moved) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        Files.createDirectories(aside);
        Files.move(file, aside.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        moved.add(file.getFileName().toString());
    }

    /** The numbers of the history files present, newest first. */
    private List<Integer> historyNumbers() throws IOException {
        Path history = dir.resolve("history");
        if (!Files.isDirectory(history)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(history)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("\\d{6}\\.json"))
                    .map(n -> Integer.parseInt(n.substring(0, 6))).sorted(Comparator.reverseOrder()).toList();
        }
    }

    private Path historyFile(int number) {
        return dir.resolve("history").resolve(String.format("%06d.json", number));
    }

    static void writeAtomically(Path target, byte[] content) throws IOException {
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, "." + target.getFileName(), ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(content));
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel directory = FileChannel.open(parent, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    public static void writeText(Path target, String text) throws IOException {
        writeAtomically(target, text.getBytes(StandardCharsets.UTF_8));
    }
}
