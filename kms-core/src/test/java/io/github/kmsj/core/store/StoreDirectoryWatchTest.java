package io.github.kmsj.core.store;

import static io.github.kmsj.core.store.StoreTestRequests.T0;
import static io.github.kmsj.core.store.StoreTestRequests.cmid;
import static io.github.kmsj.core.store.StoreTestRequests.remote;
import static io.github.kmsj.core.store.StoreTestRequests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.host.HostListener;
import io.github.kmsj.core.host.HostResponse;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.host.RequestEvent;
import io.github.kmsj.core.ledger.LedgerLimits;
import io.github.kmsj.core.time.ManualScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store whose directory or lock file is removed or replaced under it stops acknowledging for good
 * and says so; its files are owner-only.
 */
final class StoreDirectoryWatchTest {

  @TempDir Path dir;

  private final ManualScheduler time = new ManualScheduler(T0);
  private final BlockingQueue<StoreHealth> health = new LinkedBlockingQueue<>();

  private KmsHost host(Path data) {
    return KmsHost.builder()
        .random(new Random(3))
        .listener(
            new HostListener() {
              @Override
              public void onRequest(RequestEvent event) {}

              @Override
              public void onStoreHealth(StoreHealth h) {
                health.add(h);
              }
            })
        .store(FileHostStore.builder().directory(data).time(time).build())
        .build();
  }

  private static HostResponse handle(KmsHost host, int i) {
    Instant t = T0.plusSeconds(i);
    return host.handle(request(cmid(i), 25, t), t, remote(i));
  }

  private StoreHealth.Degraded degradedWithin5s() throws InterruptedException {
    time.advance(Duration.ofSeconds(5)); // the directory check
    StoreHealth h = health.poll(30, TimeUnit.SECONDS);
    assertNotNull(h, "no health change within 30 s");
    return assertInstanceOf(StoreHealth.Degraded.class, h);
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void directoryRemoved_hostStopsAcknowledgingUntilRestart() throws Exception {
    Path data = dir.resolve("data");
    KmsHost host = host(data);
    for (int i = 0; i < 8; i++) {
      assertInstanceOf(HostResponse.Answered.class, handle(host, i));
    }
    deleteTree(data);

    StoreHealth.Degraded degraded = degradedWithin5s();
    assertTrue(degraded.reason().contains("data directory " + data + " was removed"));
    assertFalse(degraded.retrying(), "stays degraded until the host restarts");
    StoreException refused = assertThrows(StoreException.class, () -> handle(host, 8));
    assertTrue(refused.getMessage().contains("restart the host"), refused.getMessage());
    assertEquals(degraded.reason(), ((StoreHealth.Degraded) host.storeHealth()).reason());
    time.advance(Duration.ofSeconds(10)); // no retry, no second event
    assertTrue(health.isEmpty());

    // A second host may now start on the path; the first one acknowledges nothing meanwhile.
    try (FileHostStore second = FileHostStore.builder().directory(data).build()) {
      assertEquals(0, second.load(LedgerLimits.DEFAULT).ledger().clients().size());
    }
    StoreException closed = assertThrows(StoreException.class, host::close);
    assertTrue(closed.getMessage().contains("was removed"), closed.getMessage());
  }

  @Test
  void lockFileReplaced_hostStopsAcknowledging() throws Exception {
    Path data = dir.resolve("data");
    KmsHost host = host(data);
    assertInstanceOf(HostResponse.Answered.class, handle(host, 0));
    Path lock = data.resolve(FileHostStore.LOCK_FILE);
    Files.delete(lock);
    Files.createFile(lock);

    StoreHealth.Degraded degraded = degradedWithin5s();
    assertTrue(
        degraded.reason().contains("lock file " + lock + " was replaced"), degraded.reason());
    assertThrows(StoreException.class, () -> handle(host, 1));
    assertThrows(StoreException.class, host::close);
  }

  @Test
  void lockFileRemoved_hostStopsAcknowledging() throws Exception {
    Path data = dir.resolve("data");
    KmsHost host = host(data);
    Files.delete(data.resolve(FileHostStore.LOCK_FILE));

    StoreHealth.Degraded degraded = degradedWithin5s();
    assertTrue(degraded.reason().contains("was removed"), degraded.reason());
    assertThrows(StoreException.class, () -> handle(host, 0));
    assertThrows(StoreException.class, host::close);
  }

  @Test
  void newStore_directoryAndFilesAreOwnerOnly() throws Exception {
    Assumptions.assumeTrue(
        dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
        "the temporary directory has no POSIX permissions");
    Path data = dir.resolve("new").resolve("data");
    try (FileHostStore store =
        FileHostStore.builder().directory(data).snapshotEveryChanges(2).time(time).build()) {
      KmsHost host = KmsHost.builder().random(new Random(4)).store(store).build();
      for (int i = 0; i < 5; i++) {
        assertInstanceOf(HostResponse.Answered.class, handle(host, i));
      }
      store.flush(); // and the compaction the rotations started
      assertEquals("rwx------", permissions(data));
      try (Stream<Path> files = Files.list(data)) {
        var names = files.toList();
        assertTrue(names.stream().anyMatch(p -> p.toString().endsWith(".bin")), "" + names);
        assertTrue(names.stream().anyMatch(p -> p.toString().endsWith(".log")), "" + names);
        for (Path f : names) {
          assertEquals("rw-------", permissions(f), f.toString());
        }
      }
    }
  }

  private static String permissions(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
