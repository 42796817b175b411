package io.github.kmsj.core.client;

import static io.github.kmsj.core.client.ClientFixtures.SERVER_2019;
import static io.github.kmsj.core.client.ClientFixtures.T0;
import static io.github.kmsj.core.client.ClientFixtures.WINDOWS_10;
import static io.github.kmsj.core.client.ClientFixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.time.ManualScheduler;
import io.github.kmsj.core.time.Scheduler;
import io.github.kmsj.core.transport.KmsServer;
import io.github.kmsj.protocol.message.LicenseStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The client state machine on a manual clock: no sleeps, no wall clock; a year runs in
 * milliseconds.
 */
final class ClientLifecycleTest {
  private static final Duration DAY = Duration.ofDays(1);

  private final ManualScheduler scheduler = new ManualScheduler(T0);
  private final SplittableRandom random = new SplittableRandom(11);
  private final List<LifecycleTransition> transitions = new ArrayList<>();
  private final List<Instant> attemptTimes = new ArrayList<>();
  private final List<ActivationRequest> sent = new ArrayList<>();

  /**
   * A host plus four other servers that renew whenever our client asks, so the count stays at 5 (N
   * 5).
   */
  private final class ServerFleet implements ActivationAttempt {
    final KmsHost host;
    final ActivationRequest ours = request(SERVER_2019, 100);
    boolean outage;

    ServerFleet(KmsHost host) {
      this.host = host;
    }

    @Override
    public ActivationResult attempt(Instant now, LifecycleSnapshot current) {
      attemptTimes.add(now);
      if (outage) {
        return new ActivationResult.TransportFailure(
            Stage.CONNECT,
            "kms.corp.example:1688",
            "connection refused",
            Optional.empty(),
            List.of(),
            Optional.empty(),
            StageTimings.ZERO);
      }
      for (int peer = 0; peer < 4; peer++) {
        InProcessActivation.activate(host, request(SERVER_2019, peer), now, random);
      }
      ActivationRequest r =
          ours.withStatus(current.state().licenseStatus(), current.bindingExpirationMinutes(now));
      sent.add(r);
      return InProcessActivation.activate(host, r, now, random);
    }
  }

  private ClientLifecycle lifecycle(ActivationAttempt attempt) {
    return ClientLifecycle.builder()
        .attempt(attempt)
        .scheduler(scheduler)
        .listener(
            new LifecycleListener() {
              @Override
              public void onTransition(LifecycleTransition t) {
                transitions.add(t);
              }
            })
        .build();
  }

  private static KmsHost host(Duration activation, Duration renewal) {
    return KmsHost.builder()
        .clock(Clock.fixed(T0, ZoneOffset.UTC))
        .activationInterval(activation)
        .renewalInterval(renewal)
        .build();
  }

  private static KmsHost defaultHost() {
    return KmsHost.builder().clock(Clock.fixed(T0, ZoneOffset.UTC)).build();
  }

  @Test
  void start_countReachesN_graceToLicensedAndRenewsAtTheRenewalInterval() {
    ClientLifecycle lifecycle = lifecycle(new ServerFleet(defaultHost()));
    lifecycle.start(T0);
    assertEquals(LifecycleState.OOB_GRACE, lifecycle.state());
    assertEquals(Optional.of(T0), lifecycle.nextAttempt());

    scheduler.advanceTo(T0);

    assertEquals(LifecycleState.LICENSED, lifecycle.state());
    assertTrue(lifecycle.lastResult().orElseThrow().isActivated());
    assertEquals(Optional.of(T0.plus(Duration.ofDays(7))), lifecycle.nextAttempt());
    assertEquals(Optional.of(T0.plus(Duration.ofDays(180))), lifecycle.snapshot().stateEnds());
    assertEquals(1, transitions.size());
    assertEquals(LifecycleState.OOB_GRACE, transitions.get(0).from());
    assertEquals(LifecycleState.LICENSED, transitions.get(0).to());
    assertTrue(transitions.get(0).cause().orElseThrow().isActivated());
    assertEquals(LicenseStatus.OOB_GRACE, sent.get(0).licenseStatus());
    assertEquals(43_200, sent.get(0).bindingExpiration());

    scheduler.advanceTo(T0.plus(Duration.ofDays(7)));

    assertEquals(2, attemptTimes.size());
    assertEquals(LicenseStatus.LICENSED, sent.get(1).licenseStatus());
    assertEquals(173 * 24 * 60, sent.get(1).bindingExpiration());
    assertEquals(Optional.of(T0.plus(Duration.ofDays(187))), lifecycle.snapshot().stateEnds());
  }

  @Test
  void outage_179DaysAfterActivation_staysLicensedRetryingAtTheActivationInterval() {
    ServerFleet fleet = new ServerFleet(defaultHost());
    ClientLifecycle lifecycle = lifecycle(fleet);
    lifecycle.start(T0);
    scheduler.advanceTo(T0);
    fleet.outage = true;

    scheduler.advanceTo(T0.plus(Duration.ofDays(179)));

    assertEquals(LifecycleState.LICENSED, lifecycle.state());
    assertInstanceOf(ActivationResult.TransportFailure.class, lifecycle.lastResult().orElseThrow());
    // First renewal after 7 days, then every 2 hours: (179 - 7) days × 12 + 1.
    assertEquals(1 + 172 * 12 + 1, attemptTimes.size());
    assertEquals(Duration.ofHours(2), Duration.between(attemptTimes.get(2), attemptTimes.get(3)));
    assertEquals(1, transitions.size());
  }

  @Test
  void outage_181DaysAfterActivation_notificationAt180DaysThenRecovers() {
    ServerFleet fleet = new ServerFleet(defaultHost());
    ClientLifecycle lifecycle = lifecycle(fleet);
    lifecycle.start(T0);
    scheduler.advanceTo(T0);
    fleet.outage = true;

    scheduler.advanceTo(T0.plus(Duration.ofDays(181)));

    assertEquals(LifecycleState.NOTIFICATION, lifecycle.state());
    LifecycleTransition lapse = transitions.get(1);
    assertEquals(T0.plus(Duration.ofDays(180)), lapse.at());
    assertEquals(LifecycleState.LICENSED, lapse.from());
    assertTrue(lapse.reason().contains("180 days"), lapse.reason());
    assertTrue(lapse.cause().isEmpty());
    assertEquals(0, lifecycle.snapshot().bindingExpirationMinutes(scheduler.instant()));

    fleet.outage = false;
    scheduler.advance(Duration.ofHours(2));

    assertEquals(LifecycleState.LICENSED, lifecycle.state());
    assertEquals(LicenseStatus.NOTIFICATION, sent.get(sent.size() - 1).licenseStatus());
  }

  /**
   * A licensed client whose hardware changes beyond tolerance on day 10 loses its activation: out
   * of tolerance grace with 30 days left, an attempt at once. With the host down, it retries every
   * 2 hours and enters notification when the 30 days end (day 40); the host back, it is licensed
   * again at the next retry.
   */
  @Test
  void hardwareChanged_licensed_ootGraceFor30DaysThenNotification() {
    ServerFleet fleet = new ServerFleet(defaultHost());
    ClientLifecycle lifecycle = lifecycle(fleet);
    lifecycle.start(T0);
    scheduler.advanceTo(T0.plus(Duration.ofDays(10)));
    assertEquals(LifecycleState.LICENSED, lifecycle.state());
    fleet.outage = true;
    int before = attemptTimes.size();

    lifecycle.hardwareChanged(scheduler.instant());
    scheduler.advance(Duration.ZERO);

    assertEquals(LifecycleState.OOT_GRACE, lifecycle.state());
    assertEquals(before + 1, attemptTimes.size(), "an attempt at once");
    assertEquals(Optional.of(T0.plus(Duration.ofDays(40))), lifecycle.snapshot().stateEnds());
    assertEquals(30 * 24 * 60, lifecycle.snapshot().bindingExpirationMinutes(scheduler.instant()));
    scheduler.advanceTo(T0.plus(Duration.ofDays(40)).minusSeconds(1));
    assertEquals(LifecycleState.OOT_GRACE, lifecycle.state());
    scheduler.advanceTo(T0.plus(Duration.ofDays(40)));
    assertEquals(LifecycleState.NOTIFICATION, lifecycle.state());
    LifecycleTransition last = transitions.get(transitions.size() - 1);
    assertEquals(LifecycleState.OOT_GRACE, last.from());
    assertTrue(last.reason().contains("out-of-tolerance"), last.reason());

    fleet.outage = false;
    scheduler.advance(Duration.ofHours(2));
    assertEquals(LifecycleState.LICENSED, lifecycle.state());
  }

  @Test
  void hardwareChanged_hostAnswers_licensedAgainAtOnce_sendingOotGrace() {
    ServerFleet fleet = new ServerFleet(defaultHost());
    ClientLifecycle lifecycle = lifecycle(fleet);
    lifecycle.start(T0);
    scheduler.advanceTo(T0.plus(Duration.ofDays(3)));

    lifecycle.hardwareChanged(scheduler.instant());
    scheduler.advance(Duration.ZERO);

    assertEquals(LifecycleState.LICENSED, lifecycle.state());
    assertEquals(LicenseStatus.OOT_GRACE, sent.get(sent.size() - 1).licenseStatus());
    assertThrows(
        IllegalStateException.class,
        () -> lifecycle(fleet).hardwareChanged(scheduler.instant()),
        "not started");
  }

  @Test
  void hostIntervals_60MinutesAnd1Day_areHonoured() {
    ClientLifecycle lifecycle = lifecycle(new ServerFleet(host(Duration.ofMinutes(60), DAY)));
    lifecycle.start(T0);

    scheduler.advanceTo(T0);

    assertEquals(LifecycleState.LICENSED, lifecycle.state());
    assertEquals(Duration.ofMinutes(60), lifecycle.snapshot().activationInterval());
    assertEquals(DAY, lifecycle.snapshot().renewalInterval());
    assertEquals(Optional.of(T0.plus(DAY)), lifecycle.nextAttempt());

    scheduler.advanceTo(T0.plus(Duration.ofDays(3)));

    assertEquals(
        List.of(T0, T0.plus(DAY), T0.plus(DAY.multipliedBy(2)), T0.plus(DAY.multipliedBy(3))),
        attemptTimes);
  }

  @Test
  void belowThreshold_staysInGraceAndRetriesAtTheHostsActivationInterval() {
    KmsHost host = host(Duration.ofMinutes(60), DAY);
    ActivationRequest alone = request(WINDOWS_10, 1);
    ClientLifecycle lifecycle =
        lifecycle(
            (now, current) -> {
              attemptTimes.add(now);
              return InProcessActivation.activate(
                  host,
                  alone.withStatus(
                      current.state().licenseStatus(), current.bindingExpirationMinutes(now)),
                  now,
                  random);
            });
    lifecycle.start(T0);

    scheduler.advanceTo(T0.plus(Duration.ofHours(5)));

    assertEquals(LifecycleState.OOB_GRACE, lifecycle.state());
    ActivationResult last = lifecycle.lastResult().orElseThrow();
    assertEquals(
        0xC004F038,
        assertInstanceOf(ActivationResult.BelowThreshold.class, last).hresult().value());
    assertEquals(6, attemptTimes.size());
    assertEquals(T0.plus(Duration.ofHours(5)), attemptTimes.get(5));
    assertEquals(Optional.of(T0.plus(Duration.ofHours(6))), lifecycle.nextAttempt());
    assertTrue(transitions.isEmpty());
  }

  @Test
  void belowThreshold_beforeAnyHostAnswer_usesTwoHours() {
    ClientLifecycle lifecycle =
        lifecycle(
            (now, current) -> {
              attemptTimes.add(now);
              return new ActivationResult.NoHostFound(
                  "q", List.of(), List.of(), Optional.empty(), StageTimings.ZERO);
            });
    lifecycle.start(T0);

    scheduler.advanceTo(T0.plus(Duration.ofHours(10)));

    assertEquals(6, attemptTimes.size());
    assertEquals(Duration.ofHours(2), lifecycle.snapshot().activationInterval());
  }

  @Test
  void graceExpiry_withoutActivation_notificationAt30Days() {
    KmsHost host = defaultHost();
    ActivationRequest alone = request(WINDOWS_10, 1);
    ClientLifecycle lifecycle = lifecycle(ActivationAttempt.inProcess(host, alone, random));
    lifecycle.start(T0);

    scheduler.advanceTo(T0.plus(Duration.ofDays(30)).minusNanos(1));
    assertEquals(LifecycleState.OOB_GRACE, lifecycle.state());

    scheduler.advanceTo(T0.plus(Duration.ofDays(31)));

    assertEquals(LifecycleState.NOTIFICATION, lifecycle.state());
    assertEquals(1, transitions.size());
    LifecycleTransition t = transitions.get(0);
    assertEquals(T0.plus(Duration.ofDays(30)), t.at());
    assertEquals(LifecycleState.OOB_GRACE, t.from());
    assertTrue(t.reason().contains("grace"), t.reason());
    assertTrue(lifecycle.nextAttempt().isPresent());
    assertEquals(30 * 12 + 12 + 1, lifecycle.snapshot().attempts());
  }

  @Test
  void aYearOfRenewals_staysLicensed() {
    ClientLifecycle lifecycle = lifecycle(new ServerFleet(defaultHost()));
    lifecycle.start(T0);

    scheduler.advanceTo(T0.plus(Duration.ofDays(365)));

    assertEquals(LifecycleState.LICENSED, lifecycle.state());
    assertEquals(365 / 7 + 1, attemptTimes.size());
    assertEquals(1, transitions.size());
  }

  @Test
  void attempt_throws_countsAsAFailureAndRetries() {
    ClientLifecycle lifecycle =
        lifecycle(
            (now, current) -> {
              attemptTimes.add(now);
              throw new IllegalStateException("boom");
            });
    lifecycle.start(T0);

    scheduler.advanceTo(T0.plus(Duration.ofHours(2)));

    assertEquals(2, attemptTimes.size());
    ActivationResult.TransportFailure f =
        assertInstanceOf(
            ActivationResult.TransportFailure.class, lifecycle.lastResult().orElseThrow());
    assertTrue(f.message().contains("boom"));
  }

  @Test
  void hostIntervalOutOfRange_isBoundedTo15Minutes() {
    ClientLifecycle lifecycle =
        lifecycle(
            (now, current) -> {
              attemptTimes.add(now);
              ActivationResult real =
                  InProcessActivation.activate(defaultHost(), request(WINDOWS_10, 1), now, random);
              ActivationResult.BelowThreshold b = (ActivationResult.BelowThreshold) real;
              return new ActivationResult.BelowThreshold(
                  b.currentClientCount(),
                  b.requiredClientCount(),
                  Duration.ZERO,
                  Duration.ZERO,
                  b.host(),
                  b.response(),
                  b.timings());
            });
    lifecycle.start(T0);

    scheduler.advanceTo(T0.plus(Duration.ofMinutes(30)));

    assertEquals(3, attemptTimes.size());
  }

  @Test
  void start_twice_throws() {
    ClientLifecycle lifecycle = lifecycle(new ServerFleet(defaultHost()));
    lifecycle.start(T0);
    assertThrows(IllegalStateException.class, () -> lifecycle.start(T0));
  }

  @Test
  void stop_cancelsTimers() {
    ClientLifecycle lifecycle = lifecycle(new ServerFleet(defaultHost()));
    lifecycle.start(T0);
    lifecycle.stop();

    scheduler.advanceTo(T0.plus(Duration.ofDays(60)));

    assertTrue(attemptTimes.isEmpty());
    assertEquals(LifecycleState.OOB_GRACE, lifecycle.state());
  }

  @Test
  void start_onTheSystemScheduler_firstAttemptRunsAtOnceWithTheSchedulersTime() throws Exception {
    BlockingQueue<Instant> ran = new ArrayBlockingQueue<>(1);
    ClientLifecycle lifecycle =
        ClientLifecycle.builder()
            .attempt(
                (now, current) -> {
                  ran.add(now);
                  return new ActivationResult.NoHostFound(
                      "q", List.of(), List.of(), Optional.empty(), StageTimings.ZERO);
                })
            .scheduler(Scheduler.system())
            .build();
    Instant before = Scheduler.system().instant();
    lifecycle.start(before);
    try {
      Instant at = ran.poll(5, TimeUnit.SECONDS);
      Instant after = Scheduler.system().instant();

      assertNotNull(at, "the first attempt ran within 5 s");
      assertTrue(!at.isBefore(before) && !at.isAfter(after), at + " outside " + before);
      assertEquals(Optional.of(at.plus(Duration.ofHours(2))), lifecycle.nextAttempt());
    } finally {
      lifecycle.stop();
    }
  }

  @Test
  void realClientOverLoopback_drivenByTheManualClock() {
    KmsHost host = defaultHost();
    KmsServer server =
        KmsServer.builder(host.rpcHandler())
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .daemon(true)
            .build()
            .start();
    try {
      KmsClient client =
          KmsClient.builder()
              .clock(scheduler)
              .random(random)
              .timeouts(Duration.ofSeconds(2))
              .build();
      Target target = Target.of(InetAddress.getLoopbackAddress().getHostAddress(), server.port());
      ClientLifecycle lifecycle =
          lifecycle(ActivationAttempt.of(client, target, request(WINDOWS_10, 1)));
      lifecycle.start(T0);

      scheduler.advanceTo(T0.plus(Duration.ofHours(2)));

      assertEquals(LifecycleState.OOB_GRACE, lifecycle.state());
      assertEquals(2, lifecycle.snapshot().attempts());
      // The host's clock is fixed at T0: the second request is 2 h off, still inside ±4 h.
      assertInstanceOf(ActivationResult.BelowThreshold.class, lifecycle.lastResult().orElseThrow());
    } finally {
      server.stop(Duration.ofSeconds(2));
    }
  }
}
