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
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

import xnet.session.CommitRecord;
import xnet.session.RunningState;
import xnet.session.StateStore;

/**
 * A target's state directory: history/NNNNNN.json (each commit's whole config), running.json
 * (which commit runs, and the datapath's slots) and a lock file. The config is written once, in
 * its history file; a million rules make that file large. Every file is written to a temporary
 * name, forced to disk and renamed, so a reader sees the old or the new file whole and a crash
 * never leaves half a config.
 */
public final class FileStateStore implements StateStore {

    private final Path dir;
    private final ObjectMapper json = Json.MAPPER;

    public FileStateStore(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** running.json: the running commit's number and datapath state; its config is in history. */
    record Pointer(int generation, xnet.session.DatapathState datapath) {
    }

    @Override
    public RunningState running() throws IOException {
        Path file = dir.resolve("running.json");
        if (!Files.exists(file)) {
            return RunningState.NONE;
        }
        Pointer pointer = json.readValue(file.toFile(), Pointer.class);
        CommitRecord record = json.readValue(historyFile(pointer.generation()).toFile(), CommitRecord.class);
        return new RunningState(pointer.generation(), record.config(), pointer.datapath());
    }

    @Override
    public RunningState running(int generation, xnet.model.Config known) throws IOException {
        Path file = dir.resolve("running.json");
        if (!Files.exists(file)) {
            return RunningState.NONE;
        }
        Pointer pointer = json.readValue(file.toFile(), Pointer.class);
        if (pointer.generation() == generation) {
            return new RunningState(generation, known, pointer.datapath());
        }
        return running();
    }

    @Override
    public List<CommitRecord> history() throws IOException {
        Path history = dir.resolve("history");
        if (!Files.isDirectory(history)) {
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
     * reading stops where the config begins, however many rules it holds.
     */
    private CommitRecord summary(Path file) throws IOException {
        java.util.Map<String, Object> fields = new java.util.HashMap<>();
        try (com.fasterxml.jackson.core.JsonParser parser = json.getFactory().createParser(file.toFile())) {
            parser.nextToken(); // {
            while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (name.equals("config") || name.equals("datapath")) {
                    break;
                }
                parser.nextToken();
                fields.put(name, parser.currentToken().isNumeric() ? parser.getIntValue() : parser.getValueAsString());
            }
        }
        return new CommitRecord((Integer) fields.getOrDefault("number", 0), (String) fields.get("at"),
                (String) fields.get("user"), (String) fields.get("comment"), (String) fields.get("summary"), null);
    }

    private int generation() throws IOException {
        Path file = dir.resolve("running.json");
        return Files.exists(file) ? json.readValue(file.toFile(), Pointer.class).generation() : 0;
    }

    @Override
    public Optional<CommitRecord> commit(int number) throws IOException {
        Path file = historyFile(number);
        if (!Files.exists(file) || number > generation()) {
            return Optional.empty();
        }
        return Optional.of(json.readValue(file.toFile(), CommitRecord.class));
    }

    @Override
    public void record(CommitRecord record) throws IOException {
        writeAtomically(historyFile(record.number()), json.writeValueAsBytes(record));
        writeAtomically(dir.resolve("running.json"), json.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(new Pointer(record.number(), record.datapath())));
    }

    @Override
    public void updateDatapath(xnet.session.DatapathState datapath) throws IOException {
        int generation = running().generation();
        writeAtomically(dir.resolve("running.json"), json.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(new Pointer(generation, datapath)));
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

    /** Removes the whole state directory (used by `lab destroy`). */
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
