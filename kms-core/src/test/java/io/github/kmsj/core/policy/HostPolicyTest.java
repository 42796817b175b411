package io.github.kmsj.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.catalog.HostKeyCoverage;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.message.BaseRequest;
import io.github.kmsj.protocol.message.DecodedRequest;
import io.github.kmsj.protocol.message.Filetime;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.HResult;
import io.github.kmsj.protocol.message.KmsClientCodec;
import io.github.kmsj.protocol.message.KmsHostCodec;
import io.github.kmsj.protocol.message.LicenseStatus;
import io.github.kmsj.protocol.message.ProtocolVersion;
import io.github.kmsj.protocol.message.RequestV6;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The host's rules as a pure function: no host, lock, store or clock is involved. */
final class HostPolicyTest {
  static final Guid WINDOWS = Guid.parse("55c92734-d682-4d71-983e-d6ec3f16059f");
  static final Guid WIN10_PRO_SKU = Guid.parse("2de67392-b7a7-462a-b1ca-108dd189f588");
  static final Guid WIN10_KMS_ID = Guid.parse("58e2134f-8e11-4d17-9cb2-91069c151148");
  static final Guid OFFICE = Guid.parse("0ff1ce15-a989-479d-af46-f275c6370663");
  static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

  private final HostPolicy policy =
      HostPolicy.of(
          HostKeyCoverage.of(ProductCatalog.builtIn(), HostKeyCoverage.DEFAULT_GROUP_IDS, false),
          Optional.of(HostPolicy.DEFAULT_MAX_CLOCK_SKEW));

  private static DecodedRequest request(Guid app, Guid kmsId, Guid cmid, int policy, Instant t) {
    BaseRequest base =
        new BaseRequest(
            ProtocolVersion.V6,
            0,
            LicenseStatus.OOB_GRACE,
            43200,
            app,
            WIN10_PRO_SKU,
            kmsId,
            cmid,
            policy,
            Filetime.of(t),
            Guid.ZERO,
            "ws.example.test");
    RequestV6 v6 = new RequestV6(base, Bytes.fromHex("00112233445566778899aabbccddeeff"));
    return KmsHostCodec.decodeRequest(KmsClientCodec.encodeRequest(v6).bytes());
  }

  private static DecodedRequest windows10(int policy, Instant clientTime) {
    return request(WINDOWS, WIN10_KMS_ID, Guid.of(UUID.randomUUID()), policy, clientTime);
  }

  private static Decision.Refusal refusal(Decision d) {
    return assertInstanceOf(Decision.Refusal.class, d);
  }

  @Test
  void decide_coveredWindows10_admittedWithItsGroup() {
    Decision.Admission a =
        assertInstanceOf(Decision.Admission.class, policy.decide(windows10(25, NOW), NOW));
    assertEquals(WINDOWS, a.group().applicationId());
    assertFalse(a.probe());
    assertEquals(25, a.request().requiredClientCount());
  }

  @Test
  void decide_probeCmid_admittedAsProbe() {
    Decision d = policy.decide(request(WINDOWS, WIN10_KMS_ID, HostPolicy.PROBE_CMID, 25, NOW), NOW);
    assertTrue(assertInstanceOf(Decision.Admission.class, d).probe());
  }

  @Test
  void decide_clientClockFourHoursOff_admittedOneSecondMore_refused() {
    Duration four = Duration.ofHours(4);
    assertInstanceOf(Decision.Admission.class, policy.decide(windows10(25, NOW.plus(four)), NOW));
    assertInstanceOf(Decision.Admission.class, policy.decide(windows10(25, NOW.minus(four)), NOW));
    Decision.Refusal ahead =
        refusal(policy.decide(windows10(25, NOW.plus(four).plusSeconds(1)), NOW));
    Decision.Refusal behind =
        refusal(policy.decide(windows10(25, NOW.minus(four).minusSeconds(1)), NOW));
    assertEquals(HResult.INVALID_TIMESTAMP, ahead.hresult());
    assertEquals(HResult.INVALID_TIMESTAMP, behind.hresult());
    assertTrue(ahead.reason().contains("away from the host"), ahead.reason());
  }

  @Test
  void decide_clockCheckOff_admitsAnyClientClock() {
    HostPolicy lax = HostPolicy.of(policy.coverage(), Optional.empty());
    assertInstanceOf(
        Decision.Admission.class, lax.decide(windows10(25, NOW.minus(Duration.ofDays(400))), NOW));
  }

  @Test
  void decide_uncoveredProduct_refusedWithKmsIdMismatch() {
    Guid unknown = Guid.parse("11111111-2222-4333-8444-555555555555");
    Decision.Refusal r =
        refusal(policy.decide(request(WINDOWS, unknown, Guid.of(UUID.randomUUID()), 25, NOW), NOW));
    assertEquals(HResult.KMS_ID_MISMATCH, r.hresult());
    assertTrue(r.reason().contains(unknown.toString()), r.reason());
  }

  @Test
  void decide_kmsIdOfAnotherApplication_refusedNamingBoth() {
    Decision.Refusal r =
        refusal(
            policy.decide(request(OFFICE, WIN10_KMS_ID, Guid.of(UUID.randomUUID()), 5, NOW), NOW));
    assertEquals(HResult.KMS_ID_MISMATCH, r.hresult());
    assertTrue(r.reason().contains(OFFICE.toString()) && r.reason().contains(WINDOWS.toString()));
  }

  @Test
  void decide_nPolicyAbove1000_refusedWithInvalidData() {
    assertInstanceOf(Decision.Admission.class, policy.decide(windows10(1000, NOW), NOW));
    for (int n : List.of(1001, -1)) {
      Decision.Refusal r = refusal(policy.decide(windows10(n, NOW), NOW));
      assertEquals(HResult.INVALID_DATA, r.hresult());
      assertTrue(r.reason().contains(Integer.toUnsignedString(n)), r.reason());
    }
  }

  @Test
  void decide_unsupportedVersion_refusedWithInvalidData() {
    byte[] v7 = ByteBuffer.allocate(260).order(ByteOrder.LITTLE_ENDIAN).putInt(7 << 16).array();
    Decision.Refusal r = refusal(policy.decide(KmsHostCodec.decodeRequest(v7), NOW));
    assertEquals(HResult.INVALID_DATA, r.hresult());
    assertTrue(r.reason().contains("unsupported protocol version"), r.reason());
  }

  @Test
  void decide_sameInputs_sameDecision() {
    DecodedRequest r = windows10(25, NOW);
    assertEquals(policy.decide(r, NOW), policy.decide(r, NOW));
  }
}
