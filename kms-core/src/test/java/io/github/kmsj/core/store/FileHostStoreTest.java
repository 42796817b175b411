package io.github.kmsj.core.store;

import static io.github.kmsj.core.store.StoreTestRequests.T0;
import static io.github.kmsj.core.store.StoreTestRequests.WINDOWS;
import static io.github.kmsj.core.store.StoreTestRequests.cmid;
import static io.github.kmsj.core.store.StoreTestRequests.remote;
import static io.github.kmsj.core.store.StoreTestRequests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.host.HostResponse;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.ledger.ClientRecord;
import io.github.kmsj.core.ledger.HostChange;
import io.github.kmsj.core.ledger.HostState;
import io.github.kmsj.core.ledger.LedgerLimits;
import io.github.kmsj.protocol.message.Guid;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class FileHostStoreTest {

  @TempDir Path dir;

  private static FileHostStore.Builder store(Path dir) {
    return FileHostStore.builder().directory(dir);
  }

  private static KmsHost host(HostStore store) {
    return KmsHost.builder().random(new Random(7)).store(store).build();
  }

  /** Handles requests from CMIDs {@code from..to-1}, one second apart from {@code T0 + from s}. */
  private static void handle(KmsHost host, int from, int to) {
    for (int i = from; i < to; i++) {
      Instant t = T0.plusSeconds(i);
      HostResponse r = host.handle(request(cmid(i), 25, t), t, remote(i));
      assertInstanceOf(HostResponse.Answered.class, r);
    }
  }

  private static List<Path> files(Path dir, String prefix) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
    }
  }

  @Test
  void cleanRestart_identityCountsAndClients_stable() {
    Instant now = T0.plusSeconds(100);
    KmsHost first = host(store(dir).build());
    handle(first, 0, 5);
    handle(first, 2, 3);
    HostState before = first.state(now);
    first.close();

    KmsHost second = host(store(dir).build());
    HostState after = second.state(now);
    assertEquals(before, after);
    assertEquals(5, after.currentCounts().get(WINDOWS));
    assertEquals(2, after.ledger().client(WINDOWS, cmid(2)).orElseThrow().requestCount());
    assertEquals(remote(2), after.ledger().client(WINDOWS, cmid(2)).orElseThrow().remote());
    assertEquals(6, second.storeLoadReport().replayedChanges() - 1);
    second.close();
  }

  @Test
  void snapshots_compactJournal_restartEqual() throws IOException {
    Instant now = T0.plusSeconds(1000);
    KmsHost first = host(store(dir).snapshotEveryChanges(7).build());
    handle(first, 0, 40);
    HostState before = first.state(now);
    first.close();
    assertEquals(1, files(dir, "snapshot-").size());
    assertEquals(1, files(dir, "journal-").size());

    KmsHost second = host(store(dir).build());
    assertEquals(before, second.state(now));
    assertTrue(second.storeLoadReport().snapshotGeneration().isPresent());
    second.close();
  }

  @Test
  void processCrashDurability_restartAfterClose_keepsEverything() {
    Instant now = T0.plusSeconds(100);
    KmsHost first =
        host(store(dir).durability(Durability.survivesProcessCrash(Duration.ofMillis(5))).build());
    handle(first, 0, 20);
    HostState before = first.state(now);
    first.close();
    KmsHost second = host(store(dir).build());
    assertEquals(before, second.state(now));
    second.close();
  }

  @Test
  void tornLastRecord_keepsPrefix_warnsWithOffset() throws IOException {
    KmsHost first = host(store(dir).build());
    handle(first, 0, 10);
    first.close();
    Path journal = files(dir, "journal-").get(0);
    long size = recordsEnd(journal);
    try (RandomAccessFile f = new RandomAccessFile(journal.toFile(), "rw")) {
      f.setLength(size - 5);
    }

    KmsHost second = host(store(dir).build());
    StoreLoadReport report = second.storeLoadReport();
    assertEquals(1, report.warnings().size());
    assertTrue(report.warnings().get(0).contains("byte offset"), report.warnings().get(0));
    assertTrue(report.warnings().get(0).contains(journal.getFileName().toString()));
    HostState state = second.state(T0.plusSeconds(100));
    assertEquals(9, state.currentCounts().get(WINDOWS));
    assertTrue(state.ledger().client(WINDOWS, cmid(9)).isEmpty());
    handle(second, 10, 12);
    second.close();

    KmsHost third = host(store(dir).build());
    assertFalse(third.storeLoadReport().hasWarnings());
    assertEquals(11, third.state(T0.plusSeconds(100)).currentCounts().get(WINDOWS));
    third.close();
  }

  @Test
  void zeroFilledTail_isThePreallocatedCleanEnd_noWarning() throws IOException {
    KmsHost first = host(store(dir).build());
    handle(first, 0, 4);
    first.close();
    Path journal = files(dir, "journal-").get(0);
    assertTrue(Files.size(journal) > recordsEnd(journal), "the journal is zero-filled ahead");
    Files.write(journal, new byte[4096], java.nio.file.StandardOpenOption.APPEND);

    KmsHost second = host(store(dir).build());
    assertFalse(second.storeLoadReport().hasWarnings());
    assertEquals(4, second.state(T0.plusSeconds(100)).currentCounts().get(WINDOWS));
    handle(second, 4, 6);
    second.close();
    KmsHost third = host(store(dir).build());
    assertFalse(third.storeLoadReport().hasWarnings());
    assertEquals(6, third.state(T0.plusSeconds(100)).currentCounts().get(WINDOWS));
    third.close();
  }

  /** Where a journal's records end: after its last non-zero byte (the rest is preallocated). */
  private static long recordsEnd(Path journal) throws IOException {
    byte[] data = Files.readAllBytes(journal);
    int end = data.length;
    while (end > 0 && data[end - 1] == 0) {
      end--;
    }
    return end;
  }

  @Test
  void flippedByteInMiddle_stopsStartUp_namingFileAndOffset() throws IOException {
    KmsHost first = host(store(dir).build());
    handle(first, 0, 10);
    first.close();
    Path journal = files(dir, "journal-").get(0);
    byte[] data = Files.readAllBytes(journal);
    data[(int) recordsEnd(journal) / 2] ^= 0x40;
    Files.write(journal, data);

    StoreException e = assertThrows(StoreException.class, () -> host(store(dir).build()));
    assertTrue(e.getMessage().contains(journal.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("byte offset"), e.getMessage());
  }

  @Test
  void missingSnapshot_stopsStartUp() throws IOException {
    KmsHost first = host(store(dir).snapshotEveryChanges(5).build());
    handle(first, 0, 12);
    first.close();
    Path snapshot = files(dir, "snapshot-").get(0);
    Files.delete(snapshot);

    StoreException e = assertThrows(StoreException.class, () -> host(store(dir).build()));
    assertTrue(e.getMessage().contains(snapshot.getFileName().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("missing"), e.getMessage());
  }

  @Test
  void corruptSnapshot_stopsStartUp_namingFile() throws IOException {
    KmsHost first = host(store(dir).snapshotEveryChanges(5).build());
    handle(first, 0, 12);
    first.close();
    Path snapshot = files(dir, "snapshot-").get(0);
    byte[] data = Files.readAllBytes(snapshot);
    data[data.length - 20] ^= 0x01;
    Files.write(snapshot, data);

    StoreException e = assertThrows(StoreException.class, () -> host(store(dir).build()));
    assertTrue(e.getMessage().contains(snapshot.toString()), e.getMessage());
  }

  @Test
  void truncatedSnapshot_stopsStartUp() throws IOException {
    KmsHost first = host(store(dir).snapshotEveryChanges(5).build());
    handle(first, 0, 12);
    first.close();
    Path snapshot = files(dir, "snapshot-").get(0);
    byte[] data = Files.readAllBytes(snapshot);
    Files.write(snapshot, java.util.Arrays.copyOf(data, data.length - 3));

    assertThrows(StoreException.class, () -> host(store(dir).build()));
  }

  @Test
  void secondStore_sameDirectory_failsWithLockMessage() {
    try (FileHostStore first = store(dir).build()) {
      StoreException e = assertThrows(StoreException.class, () -> store(first.directory()).build());
      assertTrue(e.getMessage().contains("in use by another host"), e.getMessage());
    }
    store(dir).build().close();
  }

  @Test
  void directoryIsAFile_failsClearly() throws IOException {
    Path file = Files.createFile(dir.resolve("not-a-dir"));
    StoreException e = assertThrows(StoreException.class, () -> store(file).build());
    assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
  }

  @Test
  void unreadableSnapshot_stopsStartUp() throws IOException {
    KmsHost first = host(store(dir).snapshotEveryChanges(5).build());
    handle(first, 0, 6);
    first.close();
    // A directory in place of the snapshot cannot be read, even by root.
    Path snapshot = files(dir, "snapshot-").get(0);
    Files.delete(snapshot);
    Files.createDirectory(snapshot);
    StoreException e = assertThrows(StoreException.class, () -> host(store(dir).build()));
    assertTrue(e.getMessage().contains(snapshot.toString()), e.getMessage());
  }

  @Test
  void missingDirectory_isCreated() {
    Path nested = dir.resolve("a/b/c");
    KmsHost h = host(store(nested).build());
    handle(h, 0, 1);
    h.close();
    assertTrue(Files.isDirectory(nested));
  }

  @Test
  void probe_isNeverStored() {
    KmsHost first = host(store(dir).build());
    handle(first, 0, 2);
    first.handle(request(KmsHost.PROBE_CMID, 25, T0.plusSeconds(5)), T0.plusSeconds(5), remote(1));
    first.close();
    KmsHost second = host(store(dir).build());
    HostState state = second.state(T0.plusSeconds(6));
    assertTrue(state.ledger().clientsWithCmid(KmsHost.PROBE_CMID).isEmpty());
    assertEquals(2, state.currentCounts().get(WINDOWS));
    second.close();
  }

  @Test
  void newHostKeyGroup_keepsStoredEpids_addsOne() {
    KmsHost first =
        KmsHost.builder()
            .random(new Random(1))
            .hostKeyGroups(List.of("windows-server-2025"))
            .store(store(dir).build())
            .build();
    var original = first.identity();
    first.close();
    KmsHost second =
        KmsHost.builder()
            .random(new Random(2))
            .hostKeyGroups(List.of("windows-server-2025", "office-2010"))
            .store(store(dir).build())
            .build();
    assertEquals(original.hwid(), second.identity().hwid());
    assertEquals(
        original.ePid("windows-server-2025"), second.identity().ePid("windows-server-2025"));
    assertTrue(second.identity().ePid("office-2010").isPresent());
    var completed = second.identity();
    second.close();
    KmsHost third =
        KmsHost.builder()
            .hostKeyGroups(List.of("windows-server-2025", "office-2010"))
            .store(store(dir).build())
            .build();
    assertEquals(completed, third.identity());
    third.close();
  }

  @Test
  void givenIdentity_emptyStore_keptAfterRestart() {
    var given = KmsHost.builder().random(new Random(3)).build().identity();
    KmsHost first =
        KmsHost.builder().random(new Random(7)).identity(given).store(store(dir).build()).build();
    assertEquals(given, first.identity());
    handle(first, 0, 2);
    first.close();
    KmsHost second = host(store(dir).build());
    assertEquals(given, second.identity(), "the restarted host keeps the identity it was given");
    second.close();
  }

  @Test
  void exportImport_newDirectory_reproducesExactly() throws IOException {
    Instant now = T0.plusSeconds(500);
    KmsHost first = host(store(dir.resolve("old")).snapshotEveryChanges(9).build());
    handle(first, 0, 30);
    handle(first, 5, 8);
    HostState before = first.state(now);
    first.close();

    HostStateExporter exporter = new HostStateExporter();
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    exporter.write(before, json);
    HostState read = exporter.read(new ByteArrayInputStream(json.toByteArray()));
    assertEquals(before, read);

    try (FileHostStore target = store(dir.resolve("new")).build()) {
      exporter.importInto(target, read, false);
    }
    KmsHost moved = host(store(dir.resolve("new")).build());
    assertEquals(before, moved.state(now));
    assertEquals(30, moved.state(now).currentCounts().get(WINDOWS));
    moved.close();
  }

  @Test
  void importInto_nonEmptyStore_refusesUnlessReplacing() throws IOException {
    KmsHost first = host(store(dir).build());
    handle(first, 0, 3);
    HostState state = first.state(T0.plusSeconds(10));
    first.close();
    try (FileHostStore target = store(dir).build()) {
      StoreException e =
          assertThrows(
              StoreException.class, () -> new HostStateExporter().importInto(target, state, false));
      assertTrue(e.getMessage().contains("already holds"), e.getMessage());
    }
    try (FileHostStore target = store(dir).build()) {
      new HostStateExporter().importInto(target, state, true);
    }
  }

  @Test
  void read_wrongVersion_failsNamingIt() {
    String json = "{\"format\":\"kmsj-host-state\",\"version\":99}";
    StoreException e =
        assertThrows(
            StoreException.class,
            () ->
                new HostStateExporter()
                    .read(
                        new ByteArrayInputStream(
                            json.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    assertTrue(e.getMessage().contains("version 99"), e.getMessage());
  }

  @Test
  void storeFailure_propagatesFromHandle_andCountsNothing() {
    InMemoryHostStore memory = new InMemoryHostStore();
    HostStore failing = new FailingStore(memory);
    KmsHost host = KmsHost.builder().random(new Random(3)).store(failing).build();
    handle(host, 0, 2);
    ((FailingStore) failing).fail = true;
    Instant t = T0.plusSeconds(10);
    StoreException e =
        assertThrows(
            StoreException.class, () -> host.handle(request(cmid(10), 25, t), t, remote(10)));
    assertEquals("disk full", e.getMessage());
    assertEquals(2, host.currentCount(WINDOWS, t));
    assertTrue(host.state(t).ledger().client(WINDOWS, cmid(10)).isEmpty());
  }

  @Test
  void inMemoryStore_reopen_restoresState() {
    InMemoryHostStore memory = new InMemoryHostStore();
    KmsHost first = host(memory);
    handle(first, 0, 6);
    Instant now = T0.plusSeconds(50);
    HostState before = first.state(now);
    KmsHost second = host(memory.reopen());
    assertEquals(before, second.state(now));
  }

  @Test
  void clientsNotSeenFor_listsStaleOnly() {
    KmsHost h = host(new InMemoryHostStore());
    handle(h, 0, 3);
    Instant later = T0.plus(Duration.ofDays(10));
    h.handle(request(cmid(1), 25, later), later, remote(1));
    Map<Guid, Integer> counts = h.state(later).currentCounts();
    assertEquals(3, counts.get(WINDOWS));
    List<ClientRecord> stale = h.state(later).ledger().clientsNotSeenFor(Duration.ofDays(5));
    assertEquals(List.of(cmid(0), cmid(2)), stale.stream().map(ClientRecord::cmid).toList());
  }

  /** Delegates to a store and fails every append once told to. */
  private static final class FailingStore implements HostStore {
    private final HostStore delegate;
    volatile boolean fail;

    FailingStore(HostStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public LoadedState load(LedgerLimits limits) {
      return delegate.load(limits);
    }

    @Override
    public CompletableFuture<Void> append(HostChange change) {
      if (fail) {
        throw new StoreException("disk full");
      }
      return delegate.append(change);
    }

    @Override
    public void replace(HostState state) {
      delegate.replace(state);
    }

    @Override
    public void flush() {
      delegate.flush();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
