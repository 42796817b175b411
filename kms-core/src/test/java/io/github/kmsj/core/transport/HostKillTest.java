package io.github.kmsj.core.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.ledger.ClientRecord;
import io.github.kmsj.core.ledger.LedgerLimits;
import io.github.kmsj.core.store.FileHostStore;
import io.github.kmsj.core.store.LoadedState;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.rpc.ClientRpcOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILLs a real host process ({@link HostKillChild}) at random moments while 8 persistent
 * connections send requests from distinct CMIDs as fast as it answers, 50 times per durability mode
 * on one growing data directory, and checks after every kill that every CMID whose answer arrived
 * is in the store and that no CMID that was never sent appears.
 */
final class HostKillTest {
  private static final int CONNECTIONS = 8;
  private static final int RUNS = 50;

  @TempDir Path dir;

  @Test
  void defaultSettings_killedUnderLoad_keepsEveryAnsweredCmid() throws Exception {
    killRepeatedly(dir.resolve("default"), "default", RUNS, 11);
  }

  @Test
  void defaultDurabilityWhileCompacting_killedUnderLoad_keepsEveryAnsweredCmid() throws Exception {
    killRepeatedly(dir.resolve("rotating"), "rotating", RUNS / 2, 12);
  }

  @Test
  void survivesProcessCrashMode_killedUnderLoad_keepsEveryAnsweredCmid() throws Exception {
    killRepeatedly(dir.resolve("process-crash"), "process-crash", RUNS, 13);
  }

  private static void killRepeatedly(Path data, String mode, int runs, long seed) throws Exception {
    Random random = new Random(seed);
    Set<Guid> sent = ConcurrentHashMap.newKeySet();
    Set<Guid> answered = ConcurrentHashMap.newKeySet();
    AtomicInteger next = new AtomicInteger();
    int answeredTotal = 0;
    for (int run = 0; run < runs; run++) {
      int before = answered.size();
      runAndKill(data, mode, random.nextInt(300), sent, answered, next);
      assertTrue(answered.size() > before, "run " + run + " answered nothing before the kill");
      answeredTotal = answered.size();
      check(data, sent, answered, run);
    }
    assertTrue(answeredTotal >= runs, "answered " + answeredTotal);
  }

  private static void runAndKill(
      Path data,
      String mode,
      int killAfterMillis,
      Set<Guid> sent,
      Set<Guid> answered,
      AtomicInteger next)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xshare:auto",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            HostKillChild.class.getName(),
            data.toString(),
            mode);
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
      CountDownLatch connected = new CountDownLatch(CONNECTIONS);
      CountDownLatch firstAnswers = new CountDownLatch(CONNECTIONS);
      for (int c = 0; c < CONNECTIONS; c++) {
        Thread t =
            new Thread(
                () -> send(address, sent, answered, next, stop, connected, firstAnswers),
                "sender-" + c);
        t.start();
        senders.add(t);
      }
      assertTrue(connected.await(30, TimeUnit.SECONDS), "senders connected");
      assertTrue(firstAnswers.await(30, TimeUnit.SECONDS), "every connection was answered");
      Thread.sleep(killAfterMillis); // the random moment of the kill, under full load
      child.toHandle().destroyForcibly(); // SIGKILL
      assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child died");
    } finally {
      stop.set(true);
      child.destroyForcibly();
      for (Thread t : senders) {
        t.join(TimeUnit.SECONDS.toMillis(30));
      }
    }
  }

  /** Sends requests on one persistent connection until it breaks; records what was answered. */
  private static void send(
      InetSocketAddress address,
      Set<Guid> sent,
      Set<Guid> answered,
      AtomicInteger next,
      AtomicBoolean stop,
      CountDownLatch connected,
      CountDownLatch firstAnswers) {
    try (RawKmsClient client = new RawKmsClient(address, ClientRpcOptions.WINDOWS)) {
      client.bind();
      connected.countDown();
      while (!stop.get()) {
        Guid cmid = TestRequests.cmid(next.getAndIncrement());
        sent.add(cmid);
        client.activate(TestRequests.windows10(6, cmid, Instant.now()));
        answered.add(cmid);
        firstAnswers.countDown();
      }
    } catch (IOException | RuntimeException e) {
      // The kill ends every connection; the request in flight is expected to go unanswered.
      connected.countDown();
      firstAnswers.countDown();
    }
  }

  private static void check(Path data, Set<Guid> sent, Set<Guid> answered, int run) {
    try (FileHostStore store = FileHostStore.builder().directory(data).build()) {
      LoadedState loaded = store.load(LedgerLimits.DEFAULT);
      assertTrue(loaded.identity().isPresent(), "identity after run " + run);
      Set<Guid> stored =
          loaded.ledger().clients().stream().map(ClientRecord::cmid).collect(Collectors.toSet());
      Set<Guid> lost = new HashSet<>(answered);
      lost.removeAll(stored);
      assertEquals(Set.of(), lost, "answered CMIDs missing after kill " + run + " in " + data);
      Set<Guid> invented = new HashSet<>(stored);
      invented.removeAll(sent);
      assertEquals(Set.of(), invented, "CMIDs that were never sent, after kill " + run);
      Map<Guid, Long> requests =
          loaded.ledger().clients().stream()
              .collect(Collectors.toMap(ClientRecord::cmid, ClientRecord::requestCount));
      assertTrue(requests.values().stream().allMatch(n -> n == 1), "each CMID was sent once");
    }
  }
}
