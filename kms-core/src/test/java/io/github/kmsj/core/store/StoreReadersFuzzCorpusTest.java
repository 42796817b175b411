package io.github.kmsj.core.store;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The committed corpus of {@link StoreReadersFuzzTest} holds a reproducer of each store bug found
 * before the fuzzer, and each still reaches the check that fixed it: replaying the corpus in the
 * normal build is a regression test for all four.
 */
final class StoreReadersFuzzCorpusTest {

  private static byte[] seed(String method, String name) throws IOException {
    String path = "StoreReadersFuzzTestInputs/" + method + "/" + name;
    try (InputStream in = StoreReadersFuzzCorpusTest.class.getResourceAsStream(path)) {
      assertNotNull(in, path + " is in the corpus");
      return in.readAllBytes();
    }
  }

  @Test
  void journalCorpus_craftedTail_refusedWithinTheLinearBudget() throws IOException {
    byte[] input = seed("journal_anyBytes", StoreReadersFuzzTest.KNOWN_QUADRATIC_TAIL);
    byte[] file = StoreReadersFuzzTest.expand(input);
    assertTrue(
        file.length > 256 << 10, "the repeat prefix expands it to " + file.length + " bytes");
    StoreException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(60),
            () -> StoreReadersFuzzTest.load(FileHostStore.journalName(0), file),
            "a hang guard, not a speed measurement");
    assertNotNull(e);
    assertTrue(e.getMessage().contains("is corrupt at byte offset"), e.getMessage());
  }

  @Test
  void journalCorpus_validChecksumOverflowingTimestamp_refusedNamingTheOffset() throws IOException {
    byte[] input = seed("journal_anyBytes", StoreReadersFuzzTest.KNOWN_OVERFLOWING_TIMESTAMP);
    StoreException e = StoreReadersFuzzTest.load(FileHostStore.journalName(0), input);
    assertNotNull(e);
    assertTrue(e.getMessage().contains("byte offset 24"), e.getMessage());
  }

  @Test
  void exportCorpus_reversedClients_importsAndLoadsBackTheSame() throws IOException {
    byte[] input = seed("export_anyJson", StoreReadersFuzzTest.KNOWN_REVERSED_CLIENTS);
    assertDoesNotThrow(() -> new StoreReadersFuzzTest().export_anyJson(input));
    assertTrue(
        new HostStateExporter().read(new ByteArrayInputStream(input)).ledger().clients().size()
            == 5);
  }

  @Test
  void exportCorpus_timestampNearTheMaximum_refused() throws IOException {
    byte[] input = seed("export_anyJson", StoreReadersFuzzTest.KNOWN_NEAR_MAX_TIMESTAMP);
    StoreException e =
        assertThrows(
            StoreException.class,
            () -> new HostStateExporter().read(new ByteArrayInputStream(input)));
    assertTrue(e.getMessage().contains("lastSeen must be within years 1601-9999"), e.getMessage());
  }
}
