package io.github.kmsj.core.store;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * Found by {@code StoreReadersFuzzTest#export_anyJson}: an export whose {@code asOf} is before its
 * clients' {@code lastSeen} was accepted and loaded back with {@code asOf} moved forward. No host
 * writes one (its state's time is never before its latest change, clock steps included), so it is
 * refused as inconsistent before it can reach a store. The input is {@code
 * FuzzExportAsOfBeforeLastSeenTest.json} beside this class.
 */
final class FuzzExportAsOfBeforeLastSeenTest {

  @Test
  void read_asOfBeforeAClientsLastSeen_refusedNamingBoth() throws IOException {
    byte[] input;
    try (InputStream in = getClass().getResourceAsStream("FuzzExportAsOfBeforeLastSeenTest.json")) {
      assertNotNull(in);
      input = in.readAllBytes();
    }
    StoreException e =
        assertThrows(
            StoreException.class,
            () -> new HostStateExporter().read(new ByteArrayInputStream(input)));
    assertTrue(e.getMessage().contains("precedes client"), e.getMessage());
    assertTrue(e.getMessage().contains("lastSeen"), e.getMessage());
  }
}
