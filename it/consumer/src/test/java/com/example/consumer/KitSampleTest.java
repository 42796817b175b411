package com.example.consumer;

import static io.github.kmsj.test.TestProduct.WINDOWS_10_PRO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.ActivationResult.Activated;
import io.github.kmsj.core.client.ActivationResult.BelowThreshold;
import io.github.kmsj.test.KmsTest;
import io.github.kmsj.test.KmsTestHost;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's test-kit sample ("Testing with kms-test"), as a user's project runs it. */
@KmsTest
final class KitSampleTest {
  @Test
  void clientsAgeOutAfter30Days(KmsTestHost kms) {
    List<ActivationResult> first = kms.activate(WINDOWS_10_PRO, 25); // 25 new CMIDs, N 25
    assertTrue(first.subList(0, 24).stream().allMatch(BelowThreshold.class::isInstance));
    assertEquals(25, assertInstanceOf(Activated.class, first.get(24)).currentClientCount());

    kms.advance(Duration.ofDays(31)); // host and client share this clock

    BelowThreshold late = assertInstanceOf(BelowThreshold.class, kms.activate(WINDOWS_10_PRO));
    assertEquals(1, late.currentClientCount()); // the first 25 aged out
  }
}
