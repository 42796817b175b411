package io.github.kmsj.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.client.ActivationRequest;
import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.KmsClient;
import io.github.kmsj.core.client.KmsSession;
import io.github.kmsj.core.client.Target;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.test.TestProduct;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hosts on one real PostgreSQL database: a host in a child JVM ({@link KillChild}) is SIGKILLed
 * at a random moment while 8 persistent connections send it distinct CMIDs as fast as it answers,
 * 20 times; meanwhile a second host in this JVM serves 2 connections of its own. After every kill
 * every CMID whose answer arrived from either host is in the database, none that was never sent is,
 * the second host answered every request throughout, and its count is the cluster's.
 */
final class HostKillTest {
  private static final int CONNECTIONS = 8;
  private static final int RUNS = 20;

  @TempDir Path dir;

  @Test
  void oneOfTwoHosts_killedUnderLoad_noAcknowledgedCmidLostAndTheOtherKeepsServing()
      throws Exception {
    Random random = new Random(15);
    Set<Guid> sent = ConcurrentHashMap.newKeySet();
    Set<Guid> acknowledged = ConcurrentHashMap.newKeySet();
    ConcurrentLinkedQueue<String> survivorFailures = new ConcurrentLinkedQueue<>();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger survivorAnswers = new AtomicInteger();
    try (TestDatabase db = TestDatabase.create();
        ClusterHost survivor =
            ClusterHost.start(
                PostgresHostStore.builder()
                    .dataSource(db.dataSource())
                    .hostId("survivor")
                    .walDirectory(dir.resolve("wal-survivor"))
                    .build())) {
      AtomicBoolean stopSurvivor = new AtomicBoolean();
      KmsClient client = KmsClient.builder().timeouts(Duration.ofSeconds(30)).build();
      List<Thread> survivorLoad = new ArrayList<>();
      for (int c = 0; c < 2; c++) {
        Thread t =
            new Thread(
                () -> {
                  try (KmsSession s = client.open(Target.of(survivor.address()))) {
                    while (!stopSurvivor.get()) {
                      Guid g = cmid(2, next.incrementAndGet());
                      sent.add(g);
                      ActivationResult r = s.activate(request(g));
                      if (r instanceof ActivationResult.BelowThreshold
                          || r instanceof ActivationResult.Activated) {
                        acknowledged.add(g);
                        survivorAnswers.incrementAndGet();
                      } else {
                        survivorFailures.add(g + ": " + r);
                      }
                      Thread.sleep(5);
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "survivor-load-" + c);
        t.start();
        survivorLoad.add(t);
      }
      try {
        for (int run = 0; run < RUNS; run++) {
          int before = acknowledged.size();
          int survivorBefore = survivorAnswers.get();
          runAndKill(db, random.nextInt(300), sent, acknowledged, next);
          assertTrue(acknowledged.size() > before, "run " + run + " answered nothing");
          // Acknowledged before the database is read: the survivor keeps answering meanwhile.
          Set<Guid> lost = new HashSet<>(acknowledged);
          Set<Guid> stored = stored(db);
          lost.removeAll(stored);
          assertEquals(Set.of(), lost, "acknowledged CMIDs missing after kill " + run);
          Set<Guid> invented = new HashSet<>(stored);
          invented.removeAll(sent);
          assertEquals(Set.of(), invented, "CMIDs never sent, after kill " + run);
          assertTrue(
              survivorAnswers.get() > survivorBefore, "the survivor served during run " + run);
        }
      } finally {
        stopSurvivor.set(true);
        for (Thread t : survivorLoad) {
          t.join(30_000);
        }
      }
      assertEquals(List.of(), List.copyOf(survivorFailures), "the survivor answered every request");
      int distinct = stored(db).size();
      ActivationResult last = client.activate(Target.of(survivor.address()), request(cmid(3, 1)));
      assertEquals(
          Math.min(2000, distinct + 1),
          last instanceof ActivationResult.Activated a
              ? a.currentClientCount()
              : ((ActivationResult.BelowThreshold) last).currentClientCount(),
          "the survivor's count is the cluster's");
    }
  }

  @Test
  void killedDuringAnOutage_underLoad_theNextLoadReplaysEveryAcknowledgedCmid() throws Exception {
    Set<Guid> sent = ConcurrentHashMap.newKeySet();
    Set<Guid> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicInteger next = new AtomicInteger(1_000_000);
    try (TestDatabase db = TestDatabase.create()) {
      try {
        runAndKill(
            db,
            0,
            sent,
            acknowledged,
            next,
            () -> {
              TestDatabase.stopServer();
              int atStop = acknowledged.size();
              long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
              while (acknowledged.size() < atStop + 200 && System.nanoTime() < deadline) {
                Thread.sleep(10);
              }
              assertTrue(
                  acknowledged.size() >= atStop + 200, "answered from the local log meanwhile");
            });
      } finally {
        if (TestDatabase.isStopped()) {
          TestDatabase.startServer();
        }
      }
      Set<Guid> lost = new HashSet<>(acknowledged);
      try (PostgresHostStore store =
          PostgresHostStore.builder()
              .dataSource(db.dataSource())
              .hostId("victim")
              .walDirectory(dir.resolve("wal-victim"))
              .build()) {
        io.github.kmsj.core.store.LoadedState loaded =
            store.load(io.github.kmsj.core.ledger.LedgerLimits.DEFAULT);
        assertTrue(
            loaded.report().warnings().stream().anyMatch(w -> w.contains("local log")),
            loaded.report().toString());
      }
      Set<Guid> stored = stored(db);
      lost.removeAll(stored);
      assertEquals(Set.of(), lost, "acknowledged CMIDs missing after the replay");
      Set<Guid> invented = new HashSet<>(stored);
      invented.removeAll(sent);
      assertEquals(Set.of(), invented, "CMIDs never sent");
    }
  }

  /** What the test does under load before the kill. */
  @FunctionalInterface
  interface BeforeKill {
    void run() throws Exception;
  }

  /** N 1000 (capacity 2000), so that the count is not capped here. */
  private static ActivationRequest request(Guid cmid) {
    return TestProduct.WINDOWS_10_PRO.request().cmid(cmid).requiredClientCount(1000).build();
  }

  private static Guid cmid(int host, int i) {
    return Guid.of(new UUID(0x4b111e0000000000L | host, 0x8000000000000000L | i));
  }

  private void runAndKill(
      TestDatabase db,
      int killAfterMillis,
      Set<Guid> sent,
      Set<Guid> acknowledged,
      AtomicInteger next)
      throws Exception {
    runAndKill(db, killAfterMillis, sent, acknowledged, next, () -> {});
  }

  private void runAndKill(
      TestDatabase db,
      int killAfterMillis,
      Set<Guid> sent,
      Set<Guid> acknowledged,
      AtomicInteger next,
      BeforeKill beforeKill)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xshare:auto",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            KillChild.class.getName(),
            db.url,
            "victim",
            dir.resolve("wal-victim").toString());
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process child = pb.start();
    List<Thread> senders = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      if (line == null || !line.startsWith("PORT ")) {
        throw new IllegalStateException("the child did not start: " + line);
      }
      InetSocketAddress address =
          new InetSocketAddress(
              InetAddress.getLoopbackAddress(), Integer.parseInt(line.substring(5)));
      CountDownLatch firstAnswers = new CountDownLatch(CONNECTIONS);
      KmsClient client = KmsClient.builder().timeouts(Duration.ofSeconds(10)).build();
      for (int c = 0; c < CONNECTIONS; c++) {
        Thread t =
            new Thread(
                () -> {
                  try (KmsSession s = client.open(Target.of(address))) {
                    while (!stop.get()) {
                      Guid g = cmid(1, next.incrementAndGet());
                      sent.add(g);
                      ActivationResult r = s.activate(request(g));
                      if (!(r instanceof ActivationResult.BelowThreshold
                          || r instanceof ActivationResult.Activated)) {
                        break; // the kill: the request in flight goes unanswered
                      }
                      acknowledged.add(g);
                      firstAnswers.countDown();
                    }
                  } finally {
                    firstAnswers.countDown();
                  }
                },
                "victim-load");
        t.start();
        senders.add(t);
      }
      assertTrue(firstAnswers.await(60, TimeUnit.SECONDS), "every connection was answered");
      beforeKill.run();
      Thread.sleep(killAfterMillis); // the random moment of the kill, under full load
      child.toHandle().destroyForcibly(); // SIGKILL
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child died");
    } finally {
      stop.set(true);
      child.destroyForcibly();
      for (Thread t : senders) {
        t.join(30_000);
      }
    }
  }

  private static Set<Guid> stored(TestDatabase db) throws Exception {
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
}
