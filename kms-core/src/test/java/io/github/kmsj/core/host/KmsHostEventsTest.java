package io.github.kmsj.core.host;

import static io.github.kmsj.core.host.TestCalls.NOW;
import static io.github.kmsj.core.host.TestCalls.PEER;
import static io.github.kmsj.core.host.TestCalls.base;
import static io.github.kmsj.core.host.TestCalls.call;
import static io.github.kmsj.core.host.TestCalls.cmid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.protocol.message.HResult;
import io.github.kmsj.protocol.message.LicenseStatus;
import io.github.kmsj.protocol.message.ProtocolVersion;
import io.github.kmsj.protocol.rpc.KmsCall;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * One event per processed request, with the fields of event 12290, for every outcome of {@link
 * KmsHost#answer}.
 */
final class KmsHostEventsTest {
  private final RecordingListener events = new RecordingListener();
  private final KmsHost host = TestCalls.host().listener(events).build();

  private RequestEvent answer(KmsCall call) {
    byte[] stub = host.rpcHandler().answer(call, PEER).join();
    RequestEvent event = events.last();
    assertEquals(TestCalls.hresult(stub), event.hresult(), "the event's HRESULT is the one sent");
    assertEquals(host.catalog().digest(), event.catalogDigest(), "the event names its catalog");
    return event;
  }

  @Test
  void answer_countReachesPolicy_eventIsActivatingWithEvery12290Field() {
    RequestEvent e = answer(call(base(cmid(1), 1)));

    assertEquals(1, events.events.size());
    assertEquals(HResult.S_OK, e.hresult());
    assertTrue(e.isAnswered());
    assertTrue(e.isActivating());
    assertEquals(1, e.currentCount());
    assertEquals(NOW, e.time());
    assertEquals(Optional.of(PEER.remote()), e.remote());
    assertEquals(Optional.of(ProtocolVersion.V6), e.protocolVersion());
    assertEquals(Optional.of("ws-6f1c2a3b.example.test"), e.workstationName());
    assertEquals(Optional.of(cmid(1)), e.cmid());
    assertEquals(Optional.of(TestCalls.WINDOWS), e.applicationId());
    assertEquals(Optional.of(TestCalls.WIN10_PRO_SKU), e.skuId());
    assertEquals(Optional.of(TestCalls.WIN10_KMS_ID), e.kmsCountedId());
    assertEquals(Optional.of(1), e.requiredClientCount());
    assertEquals(Optional.of(LicenseStatus.OOB_GRACE), e.licenseStatus());
    assertEquals(Optional.of(43200), e.bindingExpiration());
    assertEquals(Optional.of(false), e.clientVm());
    assertTrue(e.groupId().isPresent());
    assertEquals(Optional.empty(), e.reason());
    assertFalse(e.processingTime().isNegative());
    assertFalse(e.probe());
  }

  @Test
  void answer_countBelowPolicy_eventIsAnsweredButNotActivating() {
    RequestEvent e = answer(call(base(cmid(1), 25)));

    assertEquals(HResult.S_OK, e.hresult());
    assertTrue(e.isAnswered());
    assertFalse(e.isActivating());
    assertEquals(1, e.currentCount());
    assertEquals(Optional.of(25), e.requiredClientCount());
  }

  @Test
  void answer_uncoveredKmsCountedId_eventIsRefusedWithIdMismatch() {
    RequestEvent e =
        answer(call(base(cmid(1), 25, LicenseStatus.OOB_GRACE, TestCalls.UNKNOWN_KMS_ID, NOW)));

    assertEquals(HResult.KMS_ID_MISMATCH, e.hresult());
    assertFalse(e.isAnswered());
    assertEquals(0, e.currentCount());
    assertEquals(Optional.of(TestCalls.UNKNOWN_KMS_ID), e.kmsCountedId());
    assertEquals(Optional.empty(), e.groupId());
    assertTrue(e.reason().isPresent());
  }

  @Test
  void answer_clientClockFiveHoursAhead_eventIsRefusedWithInvalidTimestamp() {
    RequestEvent e =
        answer(
            call(
                base(
                    cmid(1),
                    25,
                    LicenseStatus.OOB_GRACE,
                    TestCalls.WIN10_KMS_ID,
                    NOW.plus(Duration.ofHours(5)))));

    assertEquals(HResult.INVALID_TIMESTAMP, e.hresult());
    assertEquals(Optional.of(cmid(1)), e.cmid());
    assertEquals(0, host.currentCount(TestCalls.WINDOWS, NOW));
  }

  @Test
  void answer_unsupportedVersion_eventHasVersionAndNoRequestFields() {
    RequestEvent e = answer(TestCalls.messageCall(TestCalls.version7Message()));

    assertEquals(HResult.INVALID_DATA, e.hresult());
    assertEquals(Optional.of(new ProtocolVersion(7, 0)), e.protocolVersion());
    assertEquals(Optional.empty(), e.cmid());
    assertEquals(Optional.empty(), e.workstationName());
    assertEquals(Optional.empty(), e.licenseStatus());
    assertEquals(Optional.of(PEER.remote()), e.remote());
    assertTrue(e.reason().orElseThrow().contains("7.0"));
  }

  @Test
  void answer_undecodableStub_eventHasNoVersion() {
    RequestEvent e = answer(TestCalls.stubCall(new byte[] {1, 2, 3}));

    assertEquals(HResult.INVALID_DATA, e.hresult());
    assertEquals(Optional.empty(), e.protocolVersion());
    assertEquals(Optional.empty(), e.cmid());
    assertTrue(e.reason().orElseThrow().startsWith("undecodable"));
    assertFalse(e.probe());
  }

  @Test
  void answer_policyAbove1000_eventIsRefusedWithInvalidData() {
    RequestEvent e = answer(call(base(cmid(1), 1001)));

    assertEquals(HResult.INVALID_DATA, e.hresult());
    assertEquals(Optional.of(1001), e.requiredClientCount());
    assertEquals(0, host.currentCount(TestCalls.WINDOWS, NOW));
  }

  @Test
  void answer_probeCmid_eventIsProbeAndCountIsUnchanged() {
    answer(call(base(cmid(1), 25)));
    answer(call(base(cmid(2), 25)));

    RequestEvent e = answer(call(base(KmsHost.PROBE_CMID, 25)));

    assertTrue(e.probe());
    assertEquals(HResult.S_OK, e.hresult());
    assertEquals(2, e.currentCount());
    assertEquals(2, host.currentCount(TestCalls.WINDOWS, NOW));
    assertEquals(3, answer(call(base(cmid(3), 25))).currentCount());
  }

  @Test
  void answer_probeOnEmptyHost_answersCountZero() {
    RequestEvent e = answer(call(base(KmsHost.PROBE_CMID, 25)));

    assertEquals(HResult.S_OK, e.hresult());
    assertEquals(0, e.currentCount());
    assertTrue(e.probe());
    assertEquals(0, host.currentCount(TestCalls.WINDOWS, NOW));
  }

  @Test
  void answer_probeWithPolicyAbove1000_isRefusedLikeAnyRequest() {
    RequestEvent e = answer(call(base(KmsHost.PROBE_CMID, 1001)));

    assertEquals(HResult.INVALID_DATA, e.hresult());
    assertTrue(e.probe());
  }

  @Test
  void handle_withRemote_publishesTheSameEventAsAnswer() {
    RecordingListener viaHandle = new RecordingListener();
    KmsHost other = TestCalls.host().listener(viaHandle).build();
    io.github.kmsj.protocol.message.DecodedRequest decoded =
        io.github.kmsj.protocol.message.KmsHostCodec.decodeRequest(
            io.github.kmsj.protocol.message.KmsClientCodec.encodeRequest(
                    new io.github.kmsj.protocol.message.RequestV6(
                        base(cmid(1), 1),
                        io.github.kmsj.protocol.Bytes.fromHex("00112233445566778899aabbccddeeff")))
                .bytes());

    other.handle(decoded, NOW, Optional.of(PEER.remote()));
    RequestEvent fromAnswer = answer(call(base(cmid(1), 1)));

    RequestEvent fromHandle = viaHandle.last();
    assertEquals(fromAnswer.cmid(), fromHandle.cmid());
    assertEquals(fromAnswer.hresult(), fromHandle.hresult());
    assertEquals(fromAnswer.currentCount(), fromHandle.currentCount());
    assertEquals(fromAnswer.remote(), fromHandle.remote());
  }
}
