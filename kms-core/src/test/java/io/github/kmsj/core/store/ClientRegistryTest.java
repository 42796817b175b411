package io.github.kmsj.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.LicenseStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

final class ClientRegistryTest {
  private static final Guid WINDOWS = Guid.parse("55c92734-d682-4d71-983e-d6ec3f16059f");
  private static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");

  private static StoreChange.ClientSeen seen(int i, Instant time) {
    return new StoreChange.ClientSeen(
        time,
        WINDOWS,
        Guid.of(new UUID(1, i)),
        25,
        "ws-" + i,
        Guid.ZERO,
        Guid.ZERO,
        LicenseStatus.OOB_GRACE,
        Optional.empty());
  }

  @Test
  void record_sameClientTwice_oneRecordWithFirstAndLastSeenAndCount() {
    ClientRegistry registry = new ClientRegistry();
    registry.record(seen(1, T0));
    registry.record(seen(1, T0.plus(Duration.ofDays(3))));
    List<ClientRecord> records = registry.records();
    assertEquals(1, records.size());
    assertEquals(T0, records.get(0).firstSeen());
    assertEquals(T0.plus(Duration.ofDays(3)), records.get(0).lastSeen());
    assertEquals(2, records.get(0).requestCount());
  }

  @Test
  void record_beyondRetention_dropsForgottenClients() {
    ClientRegistry registry = new ClientRegistry(Duration.ofDays(10), 100);
    registry.record(seen(1, T0));
    registry.record(seen(2, T0.plus(Duration.ofDays(5))));
    registry.record(seen(3, T0.plus(Duration.ofDays(10))));
    assertEquals(
        List.of(2, 3),
        registry.records().stream().map(r -> (int) r.cmid().leastSigBits()).toList());
  }

  @Test
  void record_beyondCap_dropsLeastRecentlySeen() {
    ClientRegistry registry = new ClientRegistry(Duration.ofDays(90), 2);
    registry.record(seen(1, T0));
    registry.record(seen(2, T0.plusSeconds(1)));
    registry.record(seen(1, T0.plusSeconds(2)));
    registry.record(seen(3, T0.plusSeconds(3)));
    assertEquals(
        List.of(1, 3),
        registry.records().stream().map(r -> (int) r.cmid().leastSigBits()).toList());
  }

  @Test
  void constructor_badBounds_rejectedNamingThem() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new ClientRegistry(Duration.ZERO, 10));
    assertTrue(e.getMessage().contains("retention"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new ClientRegistry(Duration.ofDays(1), 0));
  }
}
