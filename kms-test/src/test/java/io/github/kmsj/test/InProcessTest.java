package io.github.kmsj.test;

import static io.github.kmsj.test.TestProduct.OFFICE_LTSC_2024_PRO_PLUS;
import static io.github.kmsj.test.TestProduct.WINDOWS_10_PRO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.ActivationResult.Activated;
import io.github.kmsj.core.client.ActivationResult.BelowThreshold;
import io.github.kmsj.core.client.InProcessActivation;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The same handle without sockets: InProcessActivation on the shared manual clock. */
@KmsTest(inProcess = true)
final class InProcessTest {
  @Test
  void inProcess_25WindowsClients_reachThreshold_thenAgeOutAfter31Days(KmsTestHost kms) {
    List<ActivationResult> first = kms.activate(WINDOWS_10_PRO, 25);
    for (int i = 0; i < 24; i++) {
      assertEquals(
          i + 1, assertInstanceOf(BelowThreshold.class, first.get(i)).currentClientCount());
    }
    Activated twentyFifth = assertInstanceOf(Activated.class, first.get(24));
    assertEquals(25, twentyFifth.currentClientCount());
    assertEquals(InProcessActivation.HOST, twentyFifth.host());

    kms.advance(Duration.ofDays(31));

    BelowThreshold late = assertInstanceOf(BelowThreshold.class, kms.activate(WINDOWS_10_PRO));
    assertEquals(1, late.currentClientCount());
    assertEquals(1, kms.count(WINDOWS_10_PRO));
    assertEquals(26, kms.clients().size(), "aged-out records are kept for 90 days");
  }

  @Test
  void inProcess_hasNoServerOrClient(KmsTestHost kms) {
    assertTrue(kms.isInProcess());
    assertThrows(IllegalStateException.class, kms::client);
    assertThrows(IllegalStateException.class, kms::port);
    assertThrows(IllegalStateException.class, kms::target);
  }

  @Test
  void inProcess_officeCountsApart(KmsTestHost kms) {
    kms.activate(WINDOWS_10_PRO, 3);
    List<ActivationResult> office = kms.activate(OFFICE_LTSC_2024_PRO_PLUS, 5);
    assertInstanceOf(Activated.class, office.get(4), "Office needs N 5");
    assertFalse(office.get(3).isActivated());
    assertEquals(3, kms.count(WINDOWS_10_PRO));
    assertEquals(5, kms.count(OFFICE_LTSC_2024_PRO_PLUS));
    assertEquals(8, kms.events().size());
  }
}
