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
import io.github.kmsj.core.ledger.ClientRecord;
import io.github.kmsj.core.ledger.LedgerLimits;
import io.github.kmsj.core.time.ManualScheduler;
import io.github.kmsj.protocol.message.Guid;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A failed write or force degrades the store instead of breaking it: the changes concerned are not
 * acknowledged, later ones are refused at once, the store retries on its scheduler and recovers by
 * itself, and the host's ledger equals what a restart loads.
 */
final class StoreFaultTest {

  @TempDir Path dir;

  private final ManualScheduler time = new ManualScheduler(T0);
  private final TestChannels channels = new TestChannels();
  private final BlockingQueue<StoreHealth> health = new LinkedBlockingQueue<>();

  private KmsHost host(Durability durability) {
    HostListener listener =
        new HostListener() {
          @Override
          public void onRequest(RequestEvent event) {}

          @Override
          public void onStoreHealth(StoreHealth h) {
            health.add(h);
          }
        };
    return KmsHost.builder()
        .random(new Random(7))
        .listener(listener)
        .store(
            FileHostStore.builder()
                .directory(dir.resolve("data"))
                .durability(durability)
                .channels(channels)
                .time(time)
                .build())
        .build();
  }

  private static HostResponse handle(KmsHost host, int i) {
    Instant t = T0.plusSeconds(i);
    return host.handle(request(cmid(i), 25, t), t, remote(i));
  }

  private StoreHealth nextHealth() throws InterruptedException {
    StoreHealth h = health.poll(30, TimeUnit.SECONDS);
    assertNotNull(h, "no health change within 30 s");
    return h;
  }

  private Set<Guid> stored() {
    try (FileHostStore store = FileHostStore.builder().directory(dir.resolve("data")).build()) {
      return store.load(LedgerLimits.DEFAULT).ledger().clients().stream()
          .map(ClientRecord::cmid)
          .collect(Collectors.toSet());
    }
  }

  private static Set<Guid> inMemory(KmsHost host) {
    return host.state(T0).ledger().clients().stream()
        .map(ClientRecord::cmid)
        .collect(Collectors.toSet());
  }

  @ParameterizedTest
  @ValueSource(strings = {"write", "force"})
  void failedWriteOrForce_degradesRetriesAndRecovers_ledgerEqualsStore(String fault)
      throws Exception {
    KmsHost host = host(Durability.SURVIVES_POWER_LOSS);
    Set<Guid> acknowledged = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      assertInstanceOf(HostResponse.Answered.class, handle(host, i));
      acknowledged.add(cmid(i));
    }
    if (fault.equals("write")) {
      channels.failWrites("No space left on device");
    } else {
      channels.failForces("Input/output error");
    }

    StoreException failed = assertThrows(StoreException.class, () -> handle(host, 5));
    assertTrue(failed.getMessage().contains("not acknowledged"), failed.getMessage());
    StoreHealth.Degraded degraded = assertInstanceOf(StoreHealth.Degraded.class, nextHealth());
    assertTrue(degraded.retrying());
    assertTrue(degraded.reason().contains("journal-0000000000.log"), degraded.reason());
    StoreException refused = assertThrows(StoreException.class, () -> handle(host, 6));
    assertTrue(refused.getMessage().contains("is degraded since"), refused.getMessage());
    StoreHealth.Degraded now = assertInstanceOf(StoreHealth.Degraded.class, host.storeHealth());
    assertEquals(2, now.failedChanges());
    // Counted in memory when appended, and kept by the store for its retry; CMID 6 was refused
    // before it was counted.
    assertEquals(6, host.currentCount(StoreTestRequests.WINDOWS, T0.plusSeconds(6)));

    channels.awaitFaults(1);
    time.advance(Duration.ofSeconds(1)); // a retry that fails again: still degraded, no event
    channels.awaitFaults(2);
    assertFalse(host.storeHealth().isHealthy());

    channels.heal();
    time.advance(Duration.ofSeconds(1));
    assertEquals(StoreHealth.HEALTHY, nextHealth());
    assertTrue(host.storeHealth().isHealthy());
    for (int i = 7; i < 10; i++) {
      assertInstanceOf(HostResponse.Answered.class, handle(host, i));
      acknowledged.add(cmid(i));
    }
    Set<Guid> remembered = inMemory(host);
    host.close();

    Set<Guid> stored = stored();
    assertEquals(remembered, stored, "the ledger equals what a restart loads");
    assertTrue(stored.containsAll(acknowledged));
    assertTrue(stored.contains(cmid(5)), "the change whose write failed is stored by the retry");
    assertFalse(stored.contains(cmid(6)), "a refused change is never stored");
    try (FileHostStore store = FileHostStore.builder().directory(dir.resolve("data")).build()) {
      StoreLoadReport report = store.load(LedgerLimits.DEFAULT).report();
      assertEquals(1 + 9, report.replayedChanges(), "identity and 9 changes, none twice");
      assertEquals(java.util.List.of(), report.warnings(), "no torn record left behind");
    }
    assertTrue(health.isEmpty(), "one event per state change: " + health);
  }

  @Test
  void survivesProcessCrash_forceFails_acknowledgedRecordsAreWrittenAgainAndForced()
      throws Exception {
    Duration every = Duration.ofMillis(100);
    KmsHost host = host(Durability.survivesProcessCrash(every));
    for (int i = 0; i < 5; i++) {
      assertInstanceOf(HostResponse.Answered.class, handle(host, i)); // written, not forced
    }
    channels.failForces("Input/output error");
    time.advance(every); // the force timer's force fails
    StoreHealth.Degraded degraded = assertInstanceOf(StoreHealth.Degraded.class, nextHealth());
    assertEquals(0, degraded.failedChanges(), "those changes were acknowledged before");
    assertThrows(StoreException.class, () -> handle(host, 5));

    channels.heal();
    time.advance(Duration.ofSeconds(1));
    assertEquals(StoreHealth.HEALTHY, nextHealth());
    channels.powerOff();
    channels.copyAsAfterPowerLoss(dir.resolve("data"), dir.resolve("after"));

    try (FileHostStore store = FileHostStore.builder().directory(dir.resolve("after")).build()) {
      Set<Guid> stored =
          store.load(LedgerLimits.DEFAULT).ledger().clients().stream()
              .map(ClientRecord::cmid)
              .collect(Collectors.toSet());
      assertEquals(
          Set.of(cmid(0), cmid(1), cmid(2), cmid(3), cmid(4)),
          stored,
          "the retry forced every acknowledged record");
    }
  }

  @Test
  void degradedAtClose_finalRetryFails_closeSaysTheFailedChangesAreNotStored() {
    KmsHost host = host(Durability.SURVIVES_POWER_LOSS);
    channels.failWrites("No space left on device");
    assertThrows(StoreException.class, () -> handle(host, 0));
    StoreException e = assertThrows(StoreException.class, host::close);
    assertTrue(e.getMessage().contains("closed while degraded"), e.getMessage());
  }
}
