package io.github.kmsj.core.store;

import static io.github.kmsj.core.store.StoreTestRequests.T0;
import static io.github.kmsj.core.store.StoreTestRequests.cmid;
import static io.github.kmsj.core.store.StoreTestRequests.remote;
import static io.github.kmsj.core.store.StoreTestRequests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.ledger.HostState;
import io.github.kmsj.core.ledger.LedgerLimits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every reader is total: bad input fails with the store's own exception, naming the file and offset
 * or the field, before anything is written; loading stays linear on a crafted journal.
 */
final class StoreReadersTest {
  @TempDir Path dir;

  private byte[] exported() throws IOException {
    KmsHost host =
        KmsHost.builder()
            .random(new Random(4))
            .store(FileHostStore.builder().directory(dir.resolve("old")).build())
            .build();
    for (int i = 0; i < 5; i++) {
      Instant t = T0.plusSeconds(i);
      host.handle(request(cmid(i), 25, t), t, remote(i));
    }
    HostState state = host.state(T0.plusSeconds(10));
    host.close();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new HostStateExporter().write(state, out);
    return out.toByteArray();
  }

  @Test
  void import_clientsInReversedOrder_readInOrderAndLoadable() throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = (ObjectNode) mapper.readTree(exported());
    List<com.fasterxml.jackson.databind.JsonNode> clients = new ArrayList<>();
    root.get("clients").forEach(clients::add);
    Collections.reverse(clients);
    ArrayNode reversed = root.putArray("clients");
    clients.forEach(reversed::add);

    HostStateExporter exporter = new HostStateExporter();
    HostState state = exporter.read(new ByteArrayInputStream(mapper.writeValueAsBytes(root)));
    try (FileHostStore target = FileHostStore.builder().directory(dir.resolve("new")).build()) {
      exporter.importInto(target, state, false);
    }
    try (FileHostStore again = FileHostStore.builder().directory(dir.resolve("new")).build()) {
      assertEquals(5, again.load(LedgerLimits.DEFAULT).ledger().clients().size());
    }
  }

  @Test
  void import_timestampNearTheMaximumInstant_refusedBeforeTouchingTheStore() throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = (ObjectNode) mapper.readTree(exported());
    ((ObjectNode) root.get("clients").get(4)).put("lastSeen", Instant.MAX.toString());
    StoreException e =
        assertThrows(
            StoreException.class,
            () ->
                new HostStateExporter()
                    .read(new ByteArrayInputStream(mapper.writeValueAsBytes(root))));
    assertTrue(e.getMessage().contains("lastSeen must be within years 1601-9999"), e.getMessage());
    assertEquals(List.of(), Files.list(dir).filter(p -> p.endsWith("new")).toList());
  }

  @Test
  void import_countedClientsBeyondCapacity_refusedWithAClearError() throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = (ObjectNode) mapper.readTree(exported());
    ((ObjectNode) root.get("applications").get(0)).put("highestPolicy", 1);
    StoreException e =
        assertThrows(
            StoreException.class,
            () ->
                new HostStateExporter()
                    .read(new ByteArrayInputStream(mapper.writeValueAsBytes(root))));
    assertTrue(e.getMessage().contains("more than its capacity 2"), e.getMessage());
  }

  /** A journal of generation 0 holding {@code records} (already framed) after its header. */
  private Path journal(byte[]... records) throws IOException {
    Path d = dir.resolve("journal-dir");
    Files.createDirectories(d);
    Path j = d.resolve(FileHostStore.journalName(0));
    ByteBuffer h = RecordCodec.fileHeader(FileHostStore.JOURNAL_MAGIC, 0);
    byte[] header = new byte[h.remaining()];
    h.get(header);
    Files.write(j, header);
    for (byte[] r : records) {
      Files.write(j, r, StandardOpenOption.APPEND);
    }
    return d;
  }

  private static byte[] frame(java.util.function.Consumer<RecordCodec.Writer> payload) {
    RecordCodec.Writer w = new RecordCodec.Writer();
    payload.accept(w);
    ByteBuffer b = w.buffer().flip();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  @Test
  void journal_validChecksumOverflowingTimestamp_failsNamingFileAndOffset() throws IOException {
    byte[] bad =
        frame(
            w -> {
              w.begin(RecordCodec.CLIENT_SEEN);
              w.i64(Long.MAX_VALUE); // seconds of an instant no clock reads
              w.i32(999_999_999);
              w.end();
            });
    Path d = journal(bad);
    try (FileHostStore store = FileHostStore.builder().directory(d).build()) {
      StoreException e = assertThrows(StoreException.class, () -> store.load(LedgerLimits.DEFAULT));
      assertTrue(e.getMessage().contains("journal-0000000000.log"), e.getMessage());
      assertTrue(e.getMessage().contains("byte offset 24"), e.getMessage());
    }
  }

  @Test
  void journal_craftedTailOfPlausibleLengths_refusedWithoutQuadraticWork() throws IOException {
    byte[] tail = new byte[8 << 20];
    for (int i = 0; i + 3 < tail.length; i += 4) {
      tail[i + 2] = 0x08; // every aligned u32 reads 512 KiB: a frame length that is plausible
    }
    byte[] identity =
        frame(
            w ->
                RecordCodec.writeIdentity(
                    w, KmsHost.builder().random(new Random(1)).build().identity()));
    Path d = journal(identity, tail);
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          try (FileHostStore store = FileHostStore.builder().directory(d).build()) {
            StoreException e =
                assertThrows(StoreException.class, () -> store.load(LedgerLimits.DEFAULT));
            assertTrue(e.getMessage().contains("is corrupt at byte offset"), e.getMessage());
          }
        },
        "a hang guard, not a speed measurement");
  }
}
