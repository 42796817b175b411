package io.github.kmsj.core.host;

import static io.github.kmsj.core.host.TestCalls.NOW;
import static io.github.kmsj.core.host.TestCalls.PEER;
import static io.github.kmsj.core.host.TestCalls.base;
import static io.github.kmsj.core.host.TestCalls.call;
import static io.github.kmsj.core.host.TestCalls.cmid;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.kmsj.protocol.message.LicenseStatus;
import io.github.kmsj.protocol.rpc.KmsCall;
import java.time.Duration;
import org.junit.jupiter.api.Test;

final class RequestCountersTest {
  private final RequestCounters counters = new RequestCounters();
  private final KmsHost host = TestCalls.host().listener(counters).build();

  private void answer(KmsCall call) {
    host.rpcHandler().answer(call, PEER).join();
  }

  private static RequestCountersSnapshot counts(long total, long failed, long oobGrace) {
    return new RequestCountersSnapshot(total, failed, 0, 0, oobGrace, 0, 0, 0, 0, 0);
  }

  @Test
  void snapshot_fresh_isZero() {
    assertEquals(RequestCountersSnapshot.ZERO, counters.snapshot());
  }

  @Test
  void onRequest_countReachesPolicy_countsTotalAndLicenceState() {
    answer(call(base(cmid(1), 1)));

    assertEquals(counts(1, 0, 1), counters.snapshot());
  }

  @Test
  void onRequest_countBelowPolicy_countsTotalAndLicenceState() {
    answer(call(base(cmid(1), 25)));

    assertEquals(counts(1, 0, 1), counters.snapshot());
  }

  @Test
  void onRequest_idMismatch_countsTotalAndFailedOnly() {
    answer(call(base(cmid(1), 25, LicenseStatus.OOB_GRACE, TestCalls.UNKNOWN_KMS_ID, NOW)));

    assertEquals(counts(1, 1, 0), counters.snapshot());
  }

  @Test
  void onRequest_invalidTimestamp_countsTotalAndFailedOnly() {
    answer(
        call(
            base(
                cmid(1),
                25,
                LicenseStatus.OOB_GRACE,
                TestCalls.WIN10_KMS_ID,
                NOW.minus(Duration.ofHours(5)))));

    assertEquals(counts(1, 1, 0), counters.snapshot());
  }

  @Test
  void onRequest_unsupportedVersion_countsTotalAndFailedOnly() {
    answer(TestCalls.messageCall(TestCalls.version7Message()));

    assertEquals(counts(1, 1, 0), counters.snapshot());
  }

  @Test
  void onRequest_undecodable_countsTotalAndFailedOnly() {
    answer(TestCalls.stubCall(new byte[] {1, 2, 3}));

    assertEquals(counts(1, 1, 0), counters.snapshot());
  }

  @Test
  void onRequest_policyAbove1000_countsTotalAndFailedOnly() {
    answer(call(base(cmid(1), 1001)));

    assertEquals(counts(1, 1, 0), counters.snapshot());
  }

  @Test
  void onRequest_probe_countsNothing() {
    answer(call(base(KmsHost.PROBE_CMID, 25)));
    answer(
        call(base(KmsHost.PROBE_CMID, 25, LicenseStatus.OOB_GRACE, TestCalls.UNKNOWN_KMS_ID, NOW)));

    assertEquals(RequestCountersSnapshot.ZERO, counters.snapshot());
  }

  @Test
  void onRequest_everyLicenceState_countsEachUnderItsWmiCounter() {
    for (int state = 0; state <= 7; state++) {
      answer(call(base(cmid(state), 25, LicenseStatus.of(state), TestCalls.WIN10_KMS_ID, NOW)));
    }

    assertEquals(new RequestCountersSnapshot(8, 0, 1, 1, 1, 1, 1, 1, 1, 1), counters.snapshot());
  }

  @Test
  void snapshot_mixedOutcomes_failedPlusStatesIsTotal() {
    answer(call(base(cmid(1), 25, LicenseStatus.LICENSED, TestCalls.WIN10_KMS_ID, NOW)));
    answer(call(base(cmid(2), 25, LicenseStatus.UNLICENSED, TestCalls.WIN10_KMS_ID, NOW)));
    answer(call(base(cmid(3), 25, LicenseStatus.LICENSED, TestCalls.UNKNOWN_KMS_ID, NOW)));
    answer(TestCalls.stubCall(new byte[] {1, 2, 3}));

    RequestCountersSnapshot s = counters.snapshot();
    assertEquals(new RequestCountersSnapshot(4, 2, 1, 1, 0, 0, 0, 0, 0, 0), s);
    assertEquals(
        s.totalRequests(),
        s.failedRequests()
            + s.unlicensedRequests()
            + s.licensedRequests()
            + s.oobGraceRequests()
            + s.ootGraceRequests()
            + s.nonGenuineGraceRequests()
            + s.notificationRequests()
            + s.extendedGraceRequests()
            + s.unknownStatusRequests());
  }
}
