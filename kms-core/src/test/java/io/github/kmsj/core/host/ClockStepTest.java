package io.github.kmsj.core.host;

import static io.github.kmsj.core.host.TestCalls.PEER;
import static io.github.kmsj.core.host.TestCalls.WIN10_KMS_ID;
import static io.github.kmsj.core.host.TestCalls.WINDOWS;
import static io.github.kmsj.core.host.TestCalls.base;
import static io.github.kmsj.core.host.TestCalls.call;
import static io.github.kmsj.core.host.TestCalls.cmid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.ledger.ClientLedger;
import io.github.kmsj.core.ledger.ClientRecord;
import io.github.kmsj.core.ledger.LedgerState;
import io.github.kmsj.core.store.FileHostStore;
import io.github.kmsj.core.time.ManualScheduler;
import io.github.kmsj.protocol.message.LicenseStatus;
import io.github.kmsj.protocol.ndr.KmsStubCodec;
import io.github.kmsj.protocol.ndr.TransferSyntax;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The clock rule of {@link HostTime} on a manual clock: steps of ±1 h, ±31 days and ±1 year, undone
 * within the confirmation hour or held past it, checked against a plain model of the count (a map
 * of last-seen times, aged with the host times the rule prescribes) and across a restart.
 */
final class ClockStepTest {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  static Stream<Duration> steps() {
    return Stream.of(
        Duration.ofHours(1),
        Duration.ofHours(-1),
        Duration.ofDays(31),
        Duration.ofDays(-31),
        Duration.ofDays(365),
        Duration.ofDays(-365));
  }

  private final ManualScheduler time = new ManualScheduler(T0);
  @TempDir Path dir;
  private final List<ClockStep> reported = new ArrayList<>();

  /** The model: each CMID's last-seen host time. */
  private final Map<Integer, Instant> model = new HashMap<>();

  private KmsHost host() {
    return KmsHost.builder()
        .time(time)
        .random(new Random(5))
        .disableClockCheck()
        .store(FileHostStore.builder().directory(dir).build())
        .listener(
            new HostListener() {
              @Override
              public void onRequest(RequestEvent event) {}

              @Override
              public void onClockStep(ClockStep step) {
                reported.add(step);
              }
            })
        .build();
  }

  private KmsHost restart() {
    return KmsHost.builder()
        .time(time)
        .disableClockCheck()
        .store(FileHostStore.builder().directory(dir).build())
        .build();
  }

  /** A request from client {@code n}; returns the count it got and records it in the model. */
  private int request(KmsHost host, int n, Instant expectedHostTime) {
    byte[] stub =
        host.rpcHandler()
            .answer(
                call(base(cmid(n), 25, LicenseStatus.OOB_GRACE, WIN10_KMS_ID, expectedHostTime)),
                PEER)
            .join();
    model.put(n, expectedHostTime);
    return KmsStubCodec.decodeResponse(TransferSyntax.NDR32, stub).hresult().isFailure()
        ? -1
        : host.currentCount(WINDOWS, expectedHostTime);
  }

  private int modelCount(Instant hostTime) {
    return (int)
        model.values().stream()
            .filter(seen -> hostTime.isBefore(seen.plus(ClientLedger.ACTIVE_WINDOW)))
            .count();
  }

  private void assertNoFutureDates(KmsHost host, Instant hostTime) {
    for (ClientRecord c : host.state(hostTime).ledger().clients()) {
      assertFalse(
          c.lastSeen().isAfter(hostTime), c.cmid() + " seen in the future: " + c.lastSeen());
    }
  }

  @ParameterizedTest
  @MethodSource("steps")
  void stepUndoneWithinTheHour_neverReachesTheCount(Duration step) {
    KmsHost host = host();
    for (int n = 1; n <= 3; n++) {
      assertEquals(n, request(host, n, time.instant()));
      time.advance(Duration.ofSeconds(1));
    }
    Instant trueTime = time.instant();

    time.stepClock(step);
    time.advance(Duration.ofMinutes(10));
    trueTime = trueTime.plus(Duration.ofMinutes(10));
    assertEquals(4, request(host, 4, trueTime), "counting continues on the monotonic clock");
    assertEquals(trueTime, host.now(), "a status read sees the monotonic time too");
    assertEquals(4, modelCount(trueTime));

    time.stepClock(step.negated());
    time.advance(Duration.ofMinutes(10));
    trueTime = trueTime.plus(Duration.ofMinutes(10));
    assertEquals(5, request(host, 5, trueTime));
    assertEquals(modelCount(trueTime), host.currentCount(WINDOWS, trueTime));
    assertNoFutureDates(host, trueTime);
    assertEquals(1, reported.size(), "one step reported");
    assertEquals(step, reported.get(0).offset());
    assertFalse(reported.get(0).confirmed());

    LedgerState before = host.state(trueTime).ledger();
    host.close();
    KmsHost restarted = restart();
    assertEquals(before, restarted.state(trueTime).ledger(), "nothing of the step was journaled");
    restarted.close();
  }

  @ParameterizedTest
  @MethodSource("steps")
  void stepHeldForTheConfirmationHour_isAdopted(Duration step) {
    KmsHost host = host();
    for (int n = 1; n <= 3; n++) {
      request(host, n, time.instant());
      time.advance(Duration.ofSeconds(1));
    }
    Instant trueTime = time.instant();
    time.stepClock(step);
    time.advance(Duration.ofMinutes(10));
    trueTime = trueTime.plus(Duration.ofMinutes(10));
    assertEquals(4, request(host, 4, trueTime), "not adopted yet");

    time.advance(HostTime.CONFIRMATION);
    Instant adopted = trueTime.plus(HostTime.CONFIRMATION).plus(step);
    assertEquals(adopted, host.now(), "held for an hour: adopted");
    if (step.isNegative()) {
      model.replaceAll((n, seen) -> seen.isAfter(adopted) ? adopted : seen); // the clamp
    }
    int count = request(host, 5, adopted);
    assertEquals(modelCount(adopted), count, "the count the model gives for " + step);
    assertNoFutureDates(host, adopted);
    assertEquals(2, reported.size());
    assertTrue(reported.get(1).confirmed());
    assertEquals(adopted, host.state(adopted).ledger().asOf());

    LedgerState before = host.state(adopted).ledger();
    host.close();
    KmsHost restarted = restart();
    assertEquals(before, restarted.state(adopted).ledger(), "replay reproduces the adopted step");
    restarted.close();
  }
}
