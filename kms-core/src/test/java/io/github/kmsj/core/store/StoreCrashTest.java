package io.github.kmsj.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.count.ApplicationCounts;
import io.github.kmsj.core.count.CmidEntry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a host process with SIGKILL at random points, many times, and checks after each restart
 * that every acknowledged request was kept, nothing was invented and the count is right.
 */
final class StoreCrashTest {
  private static final int CHAINS = 5;
  private static final int RUNS_PER_CHAIN = 11;

  @TempDir Path dir;

  @Test
  void sigkillAtRandomPoints_restart_keepsEveryAcknowledgedCmid() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<Integer>> chains = new ArrayList<>();
      for (int c = 0; c < CHAINS; c++) {
        Path chainDir = dir.resolve("chain-" + c);
        long seed = 1000L * c + 17;
        chains.add(pool.submit(() -> runChain(chainDir, seed)));
      }
      int runs = 0;
      for (Future<Integer> f : chains) {
        runs += f.get(5, TimeUnit.MINUTES);
      }
      assertTrue(runs >= 50, "runs: " + runs);
    } finally {
      pool.shutdownNow();
    }
  }

  private static int runChain(Path dir, long seed) throws Exception {
    Random random = new Random(seed);
    Set<String> sent = new HashSet<>();
    Map<String, Integer> acked = new HashMap<>();
    for (int run = 0; run < RUNS_PER_CHAIN; run++) {
      int killAfter = 1 + random.nextInt(60);
      runChild(dir, run, random.nextLong(), killAfter, sent, acked);
      check(dir, sent, acked, run);
    }
    return RUNS_PER_CHAIN;
  }

  private static void runChild(
      Path dir, int run, long seed, int killAfter, Set<String> sent, Map<String, Integer> acked)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xshare:auto",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            StoreCrashChild.class.getName(),
            dir.toString(),
            Integer.toString(run),
            Long.toString(seed));
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    int acks = 0;
    boolean killed = false;
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("SEND ")) {
          sent.add(line.substring(5));
        } else if (line.startsWith("ACK ")) {
          acked.merge(line.substring(4), 1, Integer::sum);
          if (++acks >= killAfter && !killed) {
            // SIGKILL through the handle: Process.destroyForcibly would also close our end of the
            // pipe and
            // lose the lines the child wrote before it died.
            p.toHandle().destroyForcibly();
            killed = true;
          }
        }
      }
    } finally {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    assertTrue(
        killed,
        "run " + run + " in " + dir + " ended before it was killed (exit " + p.exitValue() + ")");
  }

  private static void check(Path dir, Set<String> sent, Map<String, Integer> acked, int run) {
    try (FileHostStore store = FileHostStore.builder().directory(dir).build()) {
      LoadedState loaded = store.load();
      assertTrue(loaded.identity().isPresent(), "identity after run " + run);
      List<CmidEntry> entries =
          loaded.counts().applications().stream()
              .map(ApplicationCounts::entries)
              .flatMap(List::stream)
              .toList();
      Set<String> counted =
          entries.stream().map(e -> e.cmid().toString()).collect(Collectors.toSet());
      Map<String, Long> requests = new HashMap<>();
      for (ClientRecord c : loaded.clients()) {
        requests.put(c.cmid().toString(), c.requestCount());
      }
      for (Map.Entry<String, Integer> a : acked.entrySet()) {
        assertTrue(
            counted.contains(a.getKey()),
            "acknowledged CMID " + a.getKey() + " lost after run " + run + " in " + dir);
        assertTrue(
            requests.getOrDefault(a.getKey(), 0L) >= a.getValue(),
            "request count of " + a.getKey());
      }
      assertTrue(sent.containsAll(counted), "a CMID that was never sent appeared after run " + run);
      assertEquals(
          counted, requests.keySet(), "client records and CMID table differ after run " + run);
      assertEquals(counted.size(), entries.size());
      assertTrue(counted.size() <= sent.size() && counted.size() >= acked.size());
      assertTrue(counted.size() <= 2 * StoreCrashChild.POLICY);
    }
  }
}
