package io.github.kmsj.core.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.HResult;
import io.github.kmsj.protocol.message.LicenseStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;
import org.slf4j.helpers.MessageFormatter;

final class Slf4jRequestLoggerTest {
  private static final List<RequestEvent> EVENTS = TestCalls.everyOutcomeEvents();

  @Test
  void format_answered_hasEvery12290Field() {
    String line = Slf4jRequestLogger.format(EVENTS.get(0));

    assertEquals(
        "KMS request answered hresult=0x00000000 S_OK count=1 client=ws-6f1c2a3b.example.test"
            + " cmid="
            + TestCalls.cmid(1)
            + " remote=192.0.2.7:50123 version=6.0"
            + " app=55c92734-d682-4d71-983e-d6ec3f16059f sku=2de67392-b7a7-462a-b1ca-108dd189f588"
            + " kmsCountedId=58e2134f-8e11-4d17-9cb2-91069c151148 policy=1 status=2 (OOB grace)"
            + " expiresIn=43200min clientTime="
            + EVENTS.get(0).clientTime().orElseThrow()
            + " vm=false group="
            + EVENTS.get(0).groupId().orElseThrow()
            + " time="
            + EVENTS.get(0).processingTime().toNanos() / 1000
            + "us reason=-",
        line);
  }

  @Test
  void clientTime_answeredRequest_isTheRequestsOwnClock() {
    assertEquals(
        java.util.Optional.of(TestCalls.NOW), EVENTS.get(0).clientTime(), "12290's client time");
    assertEquals(java.util.Optional.empty(), EVENTS.get(5).clientTime(), "undecodable: none");
  }

  @Test
  void format_undecodable_showsDashesAndReason() {
    String line = Slf4jRequestLogger.format(EVENTS.get(5));

    assertTrue(
        line.startsWith(
            "KMS request refused hresult=0x8007000D ERROR_INVALID_DATA count=0 client=- cmid=-"));
    assertTrue(line.contains(" version=- "));
    assertTrue(line.contains("reason=undecodable request"));
  }

  @Test
  void arguments_matchPlaceholders() {
    int placeholders = Slf4jRequestLogger.PATTERN.split("\\{}", -1).length - 1;
    for (RequestEvent e : EVENTS) {
      assertEquals(placeholders, Slf4jRequestLogger.arguments(e).length);
      assertFalse(
          MessageFormatter.arrayFormat(Slf4jRequestLogger.PATTERN, Slf4jRequestLogger.arguments(e))
              .getMessage()
              .contains("{}"));
    }
  }

  @Test
  void level_eachOutcome_infoWarnOrDebug() {
    List<Level> expected =
        List.of(
            Level.INFO,
            Level.INFO,
            Level.INFO,
            Level.INFO,
            Level.WARN,
            Level.WARN,
            Level.WARN,
            Level.DEBUG);
    assertEquals(expected, EVENTS.stream().map(Slf4jRequestLogger::level).toList());
  }

  @Test
  void format_workstationNameWithNewline_isEscaped() {
    RequestEvent e = withName(EVENTS.get(0), "evil\nKMS request answered hresult=forged");

    String line = Slf4jRequestLogger.format(e);

    assertFalse(line.contains("\n"));
    assertTrue(line.contains("client=evil\\u000aKMS request answered hresult=forged"));
  }

  @Test
  void onRequest_everyOutcome_doesNotThrow() {
    Slf4jRequestLogger logger = new Slf4jRequestLogger();
    EVENTS.forEach(logger::onRequest);
  }

  static RequestEvent withName(RequestEvent e, String name) {
    return new RequestEvent(
        e.time(),
        e.remote(),
        e.protocolVersion(),
        Optional.of(name),
        e.cmid(),
        e.applicationId(),
        e.skuId(),
        e.kmsCountedId(),
        e.requiredClientCount(),
        e.licenseStatus(),
        e.bindingExpiration(),
        e.clientVm(),
        e.hresult(),
        e.currentCount(),
        e.groupId(),
        e.reason(),
        e.processingTime(),
        e.probe(),
        e.catalogDigest());
  }

  @Test
  void format_unsignedPolicyAndUnknownState_areUnsigned() {
    RequestEvent e =
        new RequestEvent(
            TestCalls.NOW,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(Guid.ZERO),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(-1),
            Optional.of(LicenseStatus.of(9)),
            Optional.of(-1),
            Optional.empty(),
            HResult.S_OK,
            0,
            Optional.empty(),
            Optional.empty(),
            Duration.ZERO,
            false,
            "0".repeat(64));

    String line = Slf4jRequestLogger.format(e);

    assertTrue(
        line.contains("policy=4294967295 status=9 (unknown (9)) expiresIn=4294967295min"), line);
  }
}
