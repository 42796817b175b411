package io.github.kmsj.test;

import static io.github.kmsj.test.TestProduct.WINDOWS_10_PRO;
import static io.github.kmsj.test.TestProduct.WINDOWS_SERVER_2025_STANDARD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.client.ActivationResult.BelowThreshold;
import io.github.kmsj.core.client.ActivationResult.Refused;
import io.github.kmsj.core.client.KmsClient;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.time.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Parameter injection and {@code @KmsTest} settings. */
@KmsTest
final class KmsHostExtensionTest {
  @Test
  void everyParameter_comesFromOneHost(
      KmsTestHost kms, KmsHost host, KmsClient client, ManualScheduler time) {
    assertSame(kms.host(), host);
    assertSame(kms.client(), client);
    assertSame(kms.time(), time);
    assertSame(time, host.clock(), "the host reads the shared clock");
    assertSame(time, client.clock(), "the client reads the shared clock");
    assertEquals(KmsTestHost.DEFAULT_START, kms.now());
    assertTrue(kms.port() > 0);
  }

  @Test
  @KmsTest(
      inProcess = true,
      hostKeyGroups = "windows-10",
      activationInterval = "PT30M",
      renewalInterval = "P1D",
      start = "2030-06-01T00:00:00Z")
  void methodAnnotation_overridesTheClassOne(KmsTestHost kms) {
    assertTrue(kms.isInProcess());
    assertEquals(Instant.parse("2030-06-01T00:00:00Z"), kms.now());
    assertEquals(Duration.ofMinutes(30), kms.host().activationInterval());
    assertEquals(Duration.ofDays(1), kms.host().renewalInterval());
    BelowThreshold windows = assertInstanceOf(BelowThreshold.class, kms.activate(WINDOWS_10_PRO));
    assertEquals(Duration.ofDays(1), windows.renewalInterval());
    assertInstanceOf(
        Refused.class,
        kms.activate(WINDOWS_SERVER_2025_STANDARD),
        "a Windows 10 host key does not cover servers");
  }

  @Test
  void advance_movesHostAndClientTogether(KmsTestHost kms) {
    Instant later = kms.advance(Duration.ofDays(31));
    assertEquals(KmsTestHost.DEFAULT_START.plus(Duration.ofDays(31)), later);
    assertEquals(later, kms.client().clock().instant());
    assertEquals(later, kms.host().now());
  }
}
