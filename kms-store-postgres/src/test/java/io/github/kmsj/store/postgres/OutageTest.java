package io.github.kmsj.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.client.ActivationRequest;
import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.KmsClient;
import io.github.kmsj.core.client.KmsSession;
import io.github.kmsj.core.client.Target;
import io.github.kmsj.core.ledger.ClientRecord;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.test.TestProduct;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops the real PostgreSQL server under two hosts and starts it again: the hosts keep answering
 * from their local logs with the documented count (the cluster's count at the last refresh plus the
 * new CMIDs the host counted since), lose no acknowledged CMID, and reconcile afterwards.
 *
 * <p>{@code -Dkmsj.pg.outage=PT10S} shortens the one-minute outage of the load test while
 * developing; the build runs the full minute.
 */
final class OutageTest {
  /** N 1000, so the count's capacity (2000) is never what limits it here. */
  private static final int POLICY = 1000;

  @TempDir Path dir;
  private TestDatabase db;

  @BeforeEach
  void database() {
    db = TestDatabase.create();
  }

  @AfterEach
  void drop() {
    if (TestDatabase.isStopped()) {
      TestDatabase.startServer(); // a failed test must not leave the server down for the next
    }
    db.close();
  }

  private PostgresHostStore store(String hostId) {
    return PostgresHostStore.builder()
        .dataSource(db.dataSource())
        .hostId(hostId)
        .walDirectory(dir.resolve("wal-" + hostId))
        .retryEvery(Duration.ofMillis(200))
        .refreshEvery(Duration.ofMillis(200))
        .build();
  }

  private static ActivationRequest request(Guid cmid) {
    return TestProduct.WINDOWS_10_PRO.request().cmid(cmid).requiredClientCount(POLICY).build();
  }

  private static int count(ActivationResult r) {
    if (r instanceof ActivationResult.Activated a) {
      return a.currentClientCount();
    }
    if (r instanceof ActivationResult.BelowThreshold b) {
      return b.currentClientCount();
    }
    throw new AssertionError("not answered: " + r);
  }

  private static Guid cmid(int host, int i) {
    return Guid.of(new UUID(0x0b7a6e0000000000L | host, 0x8000000000000000L | i));
  }

  @Test
  void outage_countsAnsweredMeanwhile_areTheLastClusterCountPlusLocalNewCmids() throws Exception {
    KmsClient client = KmsClient.builder().timeouts(Duration.ofSeconds(30)).build();
    try (ClusterHost a = ClusterHost.start(store("a"));
        ClusterHost b = ClusterHost.start(store("b"))) {
      for (int i = 1; i <= 5; i++) {
        assertEquals(i, count(client.activate(Target.of(b.address()), request(cmid(2, i)))));
      }
      await("a mirrors b's five clients", () -> a.host().currentCount(windows(), now()) == 5);

      TestDatabase.stopServer();
      for (int i = 1; i <= 3; i++) {
        assertEquals(
            5 + i,
            count(client.activate(Target.of(a.address()), request(cmid(1, i)))),
            "a's new CMID " + i + " during the outage");
      }
      assertEquals(
          8,
          count(client.activate(Target.of(a.address()), request(cmid(2, 1)))),
          "a renewal during the outage does not grow the count");
      assertEquals(
          6,
          count(client.activate(Target.of(b.address()), request(cmid(2, 6)))),
          "b knows its own five and its new one, not a's");
      assertFalse(a.store().cluster().databaseReachable());
      assertEquals(4, a.store().cluster().walChanges());
      assertTrue(a.store().health().isHealthy(), "the local log acknowledges: not degraded");
      assertTrue(
          a.store().toString().contains("database unreachable since")
              && a.store().toString().contains("4 change(s) answered from the local log"),
          a.store().toString());

      TestDatabase.startServer();
      await(
          "both hosts reconciled",
          () ->
              a.store().cluster().databaseReachable()
                  && b.store().cluster().databaseReachable()
                  && a.store().cluster().walChanges() == 0
                  && b.store().cluster().walChanges() == 0);
      assertEquals(9, db.queryLong("SELECT count(*) FROM kmsj_client"));
      assertEquals(
          10,
          count(client.activate(Target.of(b.address()), request(cmid(2, 7)))),
          "after the outage, the cluster's count: 5 + a's 3 + b's 1 + this one");
      await("a mirrors b's outage client", () -> a.host().currentCount(windows(), now()) == 10);
      assertEquals(1, a.store().cluster().outages());
    }
  }

  @Test
  void hostStoppedDuringAnOutage_restartedAfter_replaysItsLocalLogAtLoad() throws Exception {
    KmsClient client = KmsClient.builder().timeouts(Duration.ofSeconds(30)).build();
    try (ClusterHost a = ClusterHost.start(store("a"))) {
      assertEquals(1, count(client.activate(Target.of(a.address()), request(cmid(1, 1)))));
      TestDatabase.stopServer();
      for (int i = 2; i <= 4; i++) {
        assertEquals(i, count(client.activate(Target.of(a.address()), request(cmid(1, i)))));
      }
      assertEquals(3, a.store().cluster().walChanges());
    } // closed while the database is down: the three stay in the local log
    TestDatabase.startServer();
    assertEquals(1, db.queryLong("SELECT count(*) FROM kmsj_client"));
    try (ClusterHost a = ClusterHost.start(store("a"))) {
      assertEquals(4, db.queryLong("SELECT count(*) FROM kmsj_client"), "replayed at load");
      assertTrue(
          a.host().storeLoadReport().warnings().stream().anyMatch(w -> w.contains("local log")),
          a.host().storeLoadReport().toString());
      assertEquals(5, count(client.activate(Target.of(a.address()), request(cmid(1, 5)))));
    }
    try (ClusterHost a = ClusterHost.start(store("a"))) {
      assertEquals(List.of(), a.host().storeLoadReport().warnings(), "the log was emptied");
      assertEquals(5, db.queryLong("SELECT count(*) FROM kmsj_client"));
    }
  }

  @Test
  void outageOfAMinute_underLoad_everyClientAnsweredAndNoAcknowledgedCmidLost() throws Exception {
    Duration outage = Duration.parse(System.getProperty("kmsj.pg.outage", "PT60S"));
    int connections = 4;
    Set<Guid> sent = ConcurrentHashMap.newKeySet();
    Set<Guid> acknowledged = ConcurrentHashMap.newKeySet();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger answeredDuringOutage = new AtomicInteger();
    AtomicBoolean down = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger next = new AtomicInteger();
    KmsClient client = KmsClient.builder().timeouts(Duration.ofSeconds(30)).build();
    try (ClusterHost a = ClusterHost.start(store("a"));
        ClusterHost b = ClusterHost.start(store("b"))) {
      List<Thread> senders = new ArrayList<>();
      for (int c = 0; c < connections; c++) {
        ClusterHost target = c % 2 == 0 ? a : b;
        int host = c % 2 + 1;
        Thread t =
            new Thread(
                () -> {
                  try (KmsSession session = client.open(Target.of(target.address()))) {
                    while (!stop.get()) {
                      Guid g = cmid(host, next.incrementAndGet());
                      sent.add(g);
                      boolean duringOutage = down.get();
                      ActivationResult r = session.activate(request(g));
                      if (r instanceof ActivationResult.Activated
                          || r instanceof ActivationResult.BelowThreshold) {
                        acknowledged.add(g);
                        if (duringOutage && down.get()) {
                          answeredDuringOutage.incrementAndGet();
                        }
                      } else {
                        failures.add(g + ": " + r);
                      }
                      Thread.sleep(2); // about 250 requests a second per connection at most
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "sender-" + c);
        t.start();
        senders.add(t);
      }
      await("load running", () -> acknowledged.size() > 100);
      TestDatabase.stopServer();
      down.set(true);
      long start = System.nanoTime();
      int before = answeredDuringOutage.get();
      while (System.nanoTime() - start < outage.toNanos()) {
        Thread.sleep(Math.min(5000, outage.toMillis()));
        int now = answeredDuringOutage.get();
        assertTrue(now > before, "clients answered in the last 5 s of the outage");
        before = now;
      }
      assertFalse(a.store().cluster().databaseReachable());
      down.set(false);
      TestDatabase.startServer();
      await(
          "both hosts reconciled under load",
          () ->
              a.store().cluster().databaseReachable()
                  && b.store().cluster().databaseReachable()
                  && a.store().cluster().walChanges() == 0
                  && b.store().cluster().walChanges() == 0);
      Thread.sleep(500);
      stop.set(true);
      for (Thread t : senders) {
        t.join(30_000);
      }
      a.store().flush();
      b.store().flush();
      assertEquals(List.of(), List.copyOf(failures), "every request was answered");
      assertTrue(answeredDuringOutage.get() > 0);

      Set<Guid> stored = storedCmids();
      Set<Guid> lost = new HashSet<>(acknowledged);
      lost.removeAll(stored);
      assertEquals(Set.of(), lost, "acknowledged CMIDs missing after the outage");
      Set<Guid> invented = new HashSet<>(stored);
      invented.removeAll(sent);
      assertEquals(Set.of(), invented, "CMIDs that were never sent");
      // The cluster's count after reconciliation: every stored CMID, up to the capacity.
      int expected = Math.min(2 * POLICY, stored.size() + 1);
      assertEquals(expected, count(client.activate(Target.of(a.address()), request(cmid(9, 1)))));
      await(
          "b's mirror holds a's outage clients",
          () ->
              b.host().state(now()).clients().stream()
                  .map(ClientRecord::cmid)
                  .collect(java.util.stream.Collectors.toSet())
                  .containsAll(acknowledged));
    }
  }

  private Set<Guid> storedCmids() throws Exception {
    Set<Guid> stored = new HashSet<>();
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT cmid FROM kmsj_client")) {
      while (r.next()) {
        stored.add(Guid.of(r.getObject(1, UUID.class)));
      }
    }
    return stored;
  }

  private static Guid windows() {
    return TestProduct.WINDOWS_10_PRO.applicationId();
  }

  private static Instant now() {
    return Instant.now();
  }

  /** Waits up to 60 s for {@code condition}, polling. */
  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting: " + what);
      }
      Thread.sleep(20);
    }
  }
}
