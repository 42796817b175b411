package io.github.kmsj.test;

import static io.github.kmsj.test.TestProduct.OFFICE_2019_PRO_PLUS;
import static io.github.kmsj.test.TestProduct.WINDOWS_SERVER_2022_DATACENTER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.client.ActivationResult.Activated;
import io.github.kmsj.core.store.InMemoryHostStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handle without the extension: built, used and closed by the test. */
final class KmsTestHostTest {
  @Test
  void fileStoreInDirectory_secondHost_restoresTheCount(@TempDir Path dir) {
    String ePid;
    try (KmsTestHost first = KmsTestHost.builder().inProcess().fileStore(dir).start()) {
      first.activate(WINDOWS_SERVER_2022_DATACENTER, 3);
      ePid = first.host().identity().ePid("windows-server-2025").orElseThrow().format();
    }
    try (KmsTestHost second = KmsTestHost.builder().fileStore(dir).start()) {
      assertEquals(3, second.count(WINDOWS_SERVER_2022_DATACENTER));
      assertEquals(
          ePid, second.host().identity().ePid("windows-server-2025").orElseThrow().format());
      assertEquals(3, second.clients().size());
    }
  }

  @Test
  void sameSeed_sameEpidsAndCmids() {
    try (KmsTestHost a = KmsTestHost.builder().inProcess().start();
        KmsTestHost b = KmsTestHost.builder().inProcess().start()) {
      assertEquals(a.host().identity(), b.host().identity());
      assertEquals(a.request(OFFICE_2019_PRO_PLUS), b.request(OFFICE_2019_PRO_PLUS));
    }
  }

  @Test
  void storeSupplier_andHostSettings_areApplied() {
    try (KmsTestHost kms =
        KmsTestHost.builder()
            .store(InMemoryHostStore::new)
            .host(h -> h.maxClockSkew(Duration.ofHours(1)))
            .start()) {
      assertInstanceOf(InMemoryHostStore.class, kms.host().store());
      Activated fifth =
          assertInstanceOf(Activated.class, kms.activate(OFFICE_2019_PRO_PLUS, 5).get(4));
      assertEquals(5, fifth.currentClientCount());
    }
  }

  @Test
  void hostSettingTheKitOwns_isRefusedByName() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> KmsTestHost.builder().inProcess().host(h -> h.random(new Random())).start());
    assertTrue(e.getMessage().startsWith("random was already set"), e.getMessage());
  }

  @Test
  void close_twice_isHarmless() {
    KmsTestHost kms = KmsTestHost.builder().start();
    kms.close();
    kms.close();
  }
}
