package io.github.kmsj.core.store;

import static io.github.kmsj.core.store.StoreTestRequests.T0;
import static io.github.kmsj.core.store.StoreTestRequests.cmid;
import static io.github.kmsj.core.store.StoreTestRequests.remote;
import static io.github.kmsj.core.store.StoreTestRequests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.host.HostResponse;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.ledger.ClientRecord;
import io.github.kmsj.core.ledger.LedgerLimits;
import io.github.kmsj.core.time.ManualScheduler;
import io.github.kmsj.protocol.message.Guid;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each durability mode keeps exactly its promise: what an answered change survives when the power
 * fails (the files cut to what was forced) and when only the process dies (the files as the OS
 * holds them).
 */
final class DurabilityPromiseTest {

  @TempDir Path dir;

  private static void answer(KmsHost host, int from, int to) {
    for (int i = from; i < to; i++) {
      Instant t = T0.plusSeconds(i);
      HostResponse r = host.handle(request(cmid(i), 25, t), t, remote(i));
      assertInstanceOf(HostResponse.Answered.class, r);
    }
  }

  private static Set<Guid> cmids(int from, int to) {
    return IntStream.range(from, to).mapToObj(StoreTestRequests::cmid).collect(Collectors.toSet());
  }

  private static Set<Guid> stored(Path dir) {
    try (FileHostStore store = FileHostStore.builder().directory(dir).build()) {
      return store.load(LedgerLimits.DEFAULT).ledger().clients().stream()
          .map(ClientRecord::cmid)
          .collect(Collectors.toSet());
    }
  }

  @Test
  void survivesPowerLoss_powerFailsRightAfterTheAnswers_everyAnsweredChangeIsKept()
      throws IOException {
    TestChannels channels = new TestChannels();
    KmsHost host =
        KmsHost.builder()
            .random(new Random(1))
            .store(
                FileHostStore.builder().directory(dir.resolve("live")).channels(channels).build())
            .build();
    answer(host, 0, 40);

    channels.powerOff();
    channels.copyAsAfterPowerLoss(dir.resolve("live"), dir.resolve("after"));

    assertEquals(cmids(0, 40), stored(dir.resolve("after")));
  }

  @Test
  void survivesPowerLoss_eightClientsAtOnceWithTheDefaultGatherWait_everyAnsweredChangeIsKept()
      throws Exception {
    TestChannels channels = new TestChannels();
    FileHostStore store =
        FileHostStore.builder().directory(dir.resolve("live")).channels(channels).build();
    KmsHost host = KmsHost.builder().random(new Random(4)).store(store).build();
    int threads = 8;
    int each = 200;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int from = t * each;
        done.add(pool.submit(() -> answer(host, from, from + each)));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get(60, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    int forces = channels.forces();

    channels.powerOff();
    channels.copyAsAfterPowerLoss(dir.resolve("live"), dir.resolve("after"));

    assertEquals(cmids(0, threads * each), stored(dir.resolve("after")));
    assertTrue(
        forces < threads * each,
        "concurrent answers share forces: " + forces + " for " + threads * each);
  }

  @Test
  void survivesProcessCrash_powerFails_losesOnlyWhatWasAnsweredSinceTheLastForce()
      throws Exception {
    TestChannels channels = new TestChannels();
    ManualScheduler time = new ManualScheduler(T0);
    Duration every = Duration.ofMillis(100);
    KmsHost host =
        KmsHost.builder()
            .random(new Random(2))
            .store(
                FileHostStore.builder()
                    .directory(dir.resolve("live"))
                    .durability(Durability.survivesProcessCrash(every))
                    .channels(channels)
                    .time(time)
                    .build())
            .build();
    answer(host, 0, 10); // answered once written to the OS, not yet forced
    int forced = channels.forces();
    time.advance(every); // the force timer fires
    channels.awaitForces(forced + 1);
    answer(host, 10, 25); // answered after the last force

    channels.powerOff();
    channels.copyAsAfterPowerLoss(dir.resolve("live"), dir.resolve("power-loss"));
    copyAsTheOsHoldsIt(dir.resolve("live"), dir.resolve("process-crash"));

    assertEquals(cmids(0, 10), stored(dir.resolve("power-loss")), "the window after the force");
    assertEquals(cmids(0, 25), stored(dir.resolve("process-crash")), "a process crash loses none");
  }

  @Test
  void survivesProcessCrash_withoutAForce_powerLossLosesTheWindow_processCrashNothing()
      throws Exception {
    TestChannels channels = new TestChannels();
    KmsHost host =
        KmsHost.builder()
            .random(new Random(3))
            .store(
                FileHostStore.builder()
                    .directory(dir.resolve("live"))
                    .durability(Durability.survivesProcessCrash(Duration.ofSeconds(10)))
                    .channels(channels)
                    .time(new ManualScheduler(T0))
                    .build())
            .build();
    answer(host, 0, 12);

    channels.powerOff();
    channels.copyAsAfterPowerLoss(dir.resolve("live"), dir.resolve("power-loss"));
    copyAsTheOsHoldsIt(dir.resolve("live"), dir.resolve("process-crash"));

    assertEquals(Set.of(), stored(dir.resolve("power-loss")));
    assertEquals(cmids(0, 12), stored(dir.resolve("process-crash")));
  }

  private static void copyAsTheOsHoldsIt(Path from, Path to) throws IOException {
    java.nio.file.Files.createDirectories(to);
    try (var files = java.nio.file.Files.list(from)) {
      for (Path f : files.toList()) {
        if (!f.getFileName().toString().equals(FileHostStore.LOCK_FILE)) {
          java.nio.file.Files.copy(f, to.resolve(f.getFileName()));
        }
      }
    }
  }
}
