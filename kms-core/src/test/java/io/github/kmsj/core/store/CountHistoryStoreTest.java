package io.github.kmsj.core.store;

import static io.github.kmsj.core.store.StoreTestRequests.T0;
import static io.github.kmsj.core.store.StoreTestRequests.WINDOWS;
import static io.github.kmsj.core.store.StoreTestRequests.cmid;
import static io.github.kmsj.core.store.StoreTestRequests.remote;
import static io.github.kmsj.core.store.StoreTestRequests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.ledger.DailyCount;
import io.github.kmsj.core.ledger.LedgerState;
import io.github.kmsj.protocol.message.Guid;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The count history survives restarts through journal replay, snapshots and exports. */
final class CountHistoryStoreTest {
  @TempDir Path dir;

  private static KmsHost host(HostStore store) {
    return KmsHost.builder().random(new Random(7)).store(store).build();
  }

  /** Three days of requests: 3 CMIDs on day 0, 2 more on day 1, 1 more on day 5. */
  private static void threeDays(KmsHost host) {
    int[][] days = {{0, 0, 3}, {1, 3, 5}, {5, 5, 6}};
    for (int[] d : days) {
      for (int i = d[1]; i < d[2]; i++) {
        Instant t = T0.plus(Duration.ofDays(d[0])).plusSeconds(i);
        host.handle(request(cmid(i), 25, t), t, remote(i));
      }
    }
  }

  private static final LocalDate D0 = LocalDate.parse("2025-03-01");
  private static final List<DailyCount> EXPECTED =
      List.of(
          new DailyCount(D0, 3),
          new DailyCount(D0.plusDays(1), 5),
          new DailyCount(D0.plusDays(5), 6));

  @Test
  void restart_journalOnly_historyReplayed() {
    KmsHost first = host(FileHostStore.builder().directory(dir).build());
    threeDays(first);
    assertEquals(EXPECTED, first.countHistory(WINDOWS));
    first.close();
    try (KmsHost second = host(FileHostStore.builder().directory(dir).build())) {
      assertEquals(EXPECTED, second.countHistory(WINDOWS));
    }
  }

  @Test
  void restart_afterSnapshots_historyFromTheSnapshot() {
    KmsHost first = host(FileHostStore.builder().directory(dir).snapshotEveryChanges(2).build());
    threeDays(first);
    first.close();
    try (KmsHost second = host(FileHostStore.builder().directory(dir).build())) {
      assertTrue(second.storeLoadReport().snapshotGeneration().isPresent());
      assertEquals(EXPECTED, second.countHistory(WINDOWS));
    }
  }

  @Test
  void export_withHistory_readBackEqual() throws Exception {
    KmsHost host = host(HostStore.none());
    threeDays(host);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HostStateExporter exporter = new HostStateExporter();
    exporter.write(host.state(T0.plus(Duration.ofDays(6))), out);
    var back = exporter.read(new ByteArrayInputStream(out.toByteArray()));
    assertEquals(EXPECTED, back.ledger().applications().get(0).history());
  }

  @Test
  void decode_version2ApplicationRecord_emptyHistory() throws Exception {
    ByteBuffer b = ByteBuffer.allocate(21).order(ByteOrder.LITTLE_ENDIAN);
    b.put(RecordCodec.APPLICATION);
    b.putLong(WINDOWS.mostSigBits()).putLong(WINDOWS.leastSigBits());
    b.putInt(25);
    Object value = RecordCodec.decode(b.array(), 0, 21);
    assertEquals(new LedgerState.Application(WINDOWS, 25, List.of()), value);
  }

  @Test
  void decode_version3ApplicationRecord_roundTrips() throws Exception {
    LedgerState.Application a = new LedgerState.Application(WINDOWS, 25, EXPECTED);
    RecordCodec.Writer w = new RecordCodec.Writer();
    RecordCodec.writeApplication(w, a);
    ByteBuffer frame = w.buffer().flip();
    byte[] data = new byte[frame.remaining()];
    frame.get(data);
    Object value =
        RecordCodec.decode(data, RecordCodec.FRAME_HEADER, data.length - RecordCodec.FRAME_HEADER);
    assertEquals(a, value);
    assertEquals(Guid.class, ((LedgerState.Application) value).applicationId().getClass());
  }
}
