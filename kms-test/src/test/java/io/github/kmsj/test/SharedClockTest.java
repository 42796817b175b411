package io.github.kmsj.test;

import static io.github.kmsj.test.TestProduct.WINDOWS_SERVER_2025_STANDARD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.ActivationResult.Activated;
import io.github.kmsj.core.client.ActivationResult.BelowThreshold;
import io.github.kmsj.core.client.ActivationResult.Refused;
import io.github.kmsj.core.client.KmsClient;
import io.github.kmsj.core.host.RequestEvent;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.HResult;
import io.github.kmsj.protocol.message.KmsResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The client's clock is the host's: requests carry the virtual time the host checks them against
 * (±4 h, else {@code 0xC004F06C}), even while another thread advances it.
 */
@KmsTest
final class SharedClockTest {
  private static final Duration SKEW = Duration.ofHours(4);

  @Test
  void advanceFromAnotherThread_whileRequestsRun_clientTimeIsHostTime(KmsTestHost kms)
      throws Exception {
    int perThread = 30;
    Duration step = Duration.ofMinutes(10); // 60 steps: 10 h, far past the 4 h rule
    Instant start = kms.now();
    Semaphore done = new Semaphore(0);
    List<ActivationResult> results = Collections.synchronizedList(new ArrayList<>());
    ExecutorService threads = Executors.newFixedThreadPool(3);
    try {
      // Each finished request lets the advancer take one step, while the other thread's request
      // is in flight: advances interleave with requests without sleeps or spinning.
      CompletableFuture<Void> advancer =
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; i < 2 * perThread; i++) {
                  done.acquireUninterruptibly();
                  kms.advance(step);
                }
              },
              threads);
      Runnable client =
          () -> {
            for (int i = 0; i < perThread; i++) {
              results.add(kms.activate(WINDOWS_SERVER_2025_STANDARD));
              done.release();
            }
          };
      CompletableFuture.allOf(
              CompletableFuture.runAsync(client, threads),
              CompletableFuture.runAsync(client, threads),
              advancer)
          .get();
    } finally {
      threads.shutdownNow();
    }

    assertEquals(start.plus(step.multipliedBy(2L * perThread)), kms.now());
    Map<Guid, Instant> hostTime =
        kms.events().stream()
            .collect(Collectors.toMap(e -> e.cmid().orElseThrow(), RequestEvent::time));
    assertEquals(2 * perThread, results.size());
    for (ActivationResult r : results) {
      assertTrue(r instanceof Activated || r instanceof BelowThreshold, r::toString);
      KmsResponse response = response(r);
      Instant clientTime = response.base().requestTime().toInstant();
      Instant host = hostTime.get(response.base().cmid());
      assertTrue(
          Duration.between(clientTime, host).abs().compareTo(SKEW) <= 0,
          () -> "client " + clientTime + ", host " + host);
    }
  }

  @Test
  void aClientWithItsOwnClock_isRefusedOnceTheHostIsFourHoursOn(KmsTestHost kms) {
    KmsClient stale = KmsClient.builder().clock(InstantSource.fixed(kms.now())).build();
    kms.advance(Duration.ofHours(4).plusMinutes(1));

    Refused refused =
        assertInstanceOf(
            Refused.class, stale.activate(kms.target(), kms.request(WINDOWS_SERVER_2025_STANDARD)));
    assertEquals(HResult.INVALID_TIMESTAMP, refused.hresult());
    assertInstanceOf(BelowThreshold.class, kms.activate(WINDOWS_SERVER_2025_STANDARD));
  }

  private static KmsResponse response(ActivationResult r) {
    return r instanceof Activated a
        ? a.response().response()
        : ((BelowThreshold) r).response().response();
  }
}
