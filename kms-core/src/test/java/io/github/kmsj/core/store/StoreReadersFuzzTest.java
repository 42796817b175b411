package io.github.kmsj.core.store;

import static io.github.kmsj.core.store.StoreTestRequests.T0;
import static io.github.kmsj.core.store.StoreTestRequests.cmid;
import static io.github.kmsj.core.store.StoreTestRequests.remote;
import static io.github.kmsj.core.store.StoreTestRequests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.ledger.HostState;
import io.github.kmsj.core.ledger.LedgerLimits;
import io.github.kmsj.protocol.testing.FuzzInputs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Coverage-guided fuzzing of the store's readers (docs/FUZZING.md): a journal, a snapshot and an
 * export file of any content fail to load only with {@link StoreException}, loading stays linear in
 * the file's size, and an export that is accepted imports and loads back to the same state.
 */
final class StoreReadersFuzzTest {
  /**
   * Loading may take this long per MiB, plus one second: generous, so that only a blow-up fails.
   */
  private static final long NANOS_PER_MIB = 2_000_000_000L;

  static final String KNOWN_QUADRATIC_TAIL = "known-quadratic-tail";
  static final String KNOWN_OVERFLOWING_TIMESTAMP = "known-overflowing-timestamp";
  static final String KNOWN_REVERSED_CLIENTS = "known-reversed-clients";
  static final String KNOWN_NEAR_MAX_TIMESTAMP = "known-near-max-timestamp";

  /**
   * Where each input's store directory goes: tmpfs where there is one, since every load forces
   * files and the directory, which on a disk limits fuzzing to tens of inputs a second.
   */
  private static final Path SCRATCH =
      Files.isDirectory(Path.of("/dev/shm")) && Files.isWritable(Path.of("/dev/shm"))
          ? Path.of("/dev/shm")
          : Path.of(System.getProperty("java.io.tmpdir"));

  /** The first input byte that turns on the repeated tail of {@link #journal_anyBytes}. */
  static final int REPEAT = 'R';

  /**
   * Input: the journal file, except that an input starting {@code 'R', n} stands for its bytes from
   * offset 2 followed by their last 4 bytes repeated {@code 1024 * n} times (up to 1 MiB), so that
   * a small input can describe the long crafted tails that once made loading quadratic.
   */
  @FuzzTest(maxDuration = "5m")
  void journal_anyBytes(byte[] data) throws IOException {
    byte[] file = expand(data);
    loadOnly(FileHostStore.journalName(0), file);
  }

  /** Input: the snapshot file of generation 1 (the first a store writes). */
  @FuzzTest(maxDuration = "5m")
  void snapshot_anyBytes(byte[] data) throws IOException {
    loadOnly(FileHostStore.snapshotName(1), data);
  }

  /** Input: an export file ({@link HostStateExporter}). */
  @FuzzTest(maxDuration = "5m")
  void export_anyJson(byte[] data) throws IOException {
    HostStateExporter exporter = new HostStateExporter();
    HostState state;
    try {
      state = exporter.read(new ByteArrayInputStream(data));
    } catch (StoreException expected) {
      return;
    }
    Path dir = Files.createTempDirectory(SCRATCH, "kmsj-fuzz-export");
    try {
      try (FileHostStore target = FileHostStore.builder().directory(dir).build()) {
        exporter.importInto(target, state, false);
      }
      try (FileHostStore again = FileHostStore.builder().directory(dir).build()) {
        LoadedState loaded = again.load(LedgerLimits.DEFAULT);
        assertEquals(Optional.of(state.identity()), loaded.identity(), "identity");
        assertEquals(state.ledger(), loaded.ledger(), "ledger");
      }
    } finally {
      delete(dir);
    }
  }

  static byte[] expand(byte[] data) {
    if (data.length < 6 || (data[0] & 0xff) != REPEAT) {
      return data;
    }
    int times = 1024 * (data[1] & 0xff);
    int from = data.length - 2;
    byte[] out = Arrays.copyOfRange(data, 2, 2 + from + 4 * times);
    // Doubling copies: a loop of a few steps, since the fuzzer instruments every branch in it.
    System.arraycopy(data, data.length - 4, out, from, Math.min(4, out.length - from));
    for (int filled = 4; filled < out.length - from; filled *= 2) {
      System.arraycopy(out, from, out, from + filled, Math.min(filled, out.length - from - filled));
    }
    return out;
  }

  /** Writes {@code bytes} as {@code name} into an empty store directory and loads it. */
  private static void loadOnly(String name, byte[] bytes) throws IOException {
    load(name, bytes);
  }

  /**
   * Loads a store directory holding only {@code bytes} as {@code name}, within a time linear in the
   * size; returns the {@link StoreException} that refused it, or null when it loaded.
   */
  static StoreException load(String name, byte[] bytes) throws IOException {
    Path dir = Files.createTempDirectory(SCRATCH, "kmsj-fuzz-store");
    try {
      Files.write(dir.resolve(name), bytes);
      long start = System.nanoTime();
      StoreException failure = null;
      try (FileHostStore store = FileHostStore.builder().directory(dir).build()) {
        store.load(LedgerLimits.DEFAULT);
      } catch (StoreException e) {
        failure = e; // the only failure allowed
      }
      long elapsed = System.nanoTime() - start;
      long budget = 1_000_000_000L + NANOS_PER_MIB * bytes.length / (1 << 20);
      assertTrue(
          elapsed <= budget,
          "loading " + bytes.length + " bytes took " + elapsed / 1_000_000 + " ms");
      return failure;
    } finally {
      delete(dir);
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * Writes the seed corpora: a small journal, snapshot and export that a host produced, and the
   * crafted tail of {@code StoreReadersTest}, described with the repeat prefix.
   */
  public static void main(String[] args) throws IOException {
    Path resources = Path.of(args[0]);
    String self = StoreReadersFuzzTest.class.getName();
    Path work = Files.createTempDirectory("kmsj-fuzz-seeds");
    KmsHost host =
        KmsHost.builder()
            .random(new Random(4))
            .store(FileHostStore.builder().directory(work.resolve("journal")).build())
            .build();
    for (int i = 0; i < 5; i++) {
      Instant t = T0.plusSeconds(i);
      host.handle(request(cmid(i), 25, t), t, remote(i));
    }
    HostState state = host.state(T0.plusSeconds(10));
    host.close();
    byte[] journal =
        trimZeros(
            Files.readAllBytes(work.resolve("journal").resolve(FileHostStore.journalName(0))));

    ByteArrayOutputStream export = new ByteArrayOutputStream();
    new HostStateExporter().write(state, export);
    try (FileHostStore s = FileHostStore.builder().directory(work.resolve("snapshot")).build()) {
      new HostStateExporter().importInto(s, state, false);
    }
    byte[] snapshot =
        Files.readAllBytes(work.resolve("snapshot").resolve(FileHostStore.snapshotName(1)));

    // The journal and then 256 KiB whose every aligned u32 reads 64 KiB, a plausible frame length:
    // the shape of tail that made loading quadratic (StoreReadersTest has an 8 MiB one).
    byte[] crafted =
        FuzzInputs.prefixed(
            new byte[] {REPEAT, (byte) 64}, FuzzInputs.prefixed(journal, new byte[] {0, 0, 1, 0}));

    print(FuzzInputs.writeSeeds(resources, self, "journal_anyBytes", List.of(journal)));
    print(FuzzInputs.writeSeeds(resources, self, "snapshot_anyBytes", List.of(snapshot)));
    print(FuzzInputs.writeSeeds(resources, self, "export_anyJson", List.of(export.toByteArray())));

    // The reproducers of bugs found before the fuzzer existed (StoreReadersFuzzCorpusTest).
    FuzzInputs.writeNamedSeed(resources, self, "journal_anyBytes", KNOWN_QUADRATIC_TAIL, crafted);
    ByteBuffer h = RecordCodec.fileHeader(FileHostStore.JOURNAL_MAGIC, 0);
    byte[] header = new byte[h.remaining()];
    h.get(header);
    RecordCodec.Writer w = new RecordCodec.Writer();
    w.begin(RecordCodec.CLIENT_SEEN);
    w.i64(Long.MAX_VALUE); // seconds of an instant no clock reads, under a valid checksum
    w.i32(999_999_999);
    w.end();
    ByteBuffer r = w.buffer().flip();
    byte[] record = new byte[r.remaining()];
    r.get(record);
    FuzzInputs.writeNamedSeed(
        resources,
        self,
        "journal_anyBytes",
        KNOWN_OVERFLOWING_TIMESTAMP,
        FuzzInputs.prefixed(header, record));
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = (ObjectNode) mapper.readTree(export.toByteArray());
    List<JsonNode> clients = new ArrayList<>();
    root.get("clients").forEach(clients::add);
    Collections.reverse(clients);
    ArrayNode reversed = root.putArray("clients");
    clients.forEach(reversed::add);
    FuzzInputs.writeNamedSeed(
        resources, self, "export_anyJson", KNOWN_REVERSED_CLIENTS, mapper.writeValueAsBytes(root));
    ((ObjectNode) root.get("clients").get(0)).put("lastSeen", Instant.MAX.toString());
    FuzzInputs.writeNamedSeed(
        resources,
        self,
        "export_anyJson",
        KNOWN_NEAR_MAX_TIMESTAMP,
        mapper.writeValueAsBytes(root));
    delete(work);
  }

  /** The file without its preallocated zeros, but for 8 (a record may end in zero bytes). */
  private static byte[] trimZeros(byte[] b) {
    int end = b.length;
    while (end > 0 && b[end - 1] == 0) {
      end--;
    }
    return Arrays.copyOf(b, Math.min(b.length, end + 8));
  }

  private static void print(int n) {
    System.out.println("wrote " + n + " seeds");
  }
}
