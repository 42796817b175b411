package io.github.kmsj.dns.migrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.test.KmsTestHost;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

/**
 * The clock offset {@code migrate check} reports, against a kmsj host whose manual clock is a known
 * amount ahead of the checker's: found from the edge of the ±4 h window to within 5 s.
 */
final class HostProberClockTest {
  @Test
  void hostClockAhead_offsetFromTheWindowEdge() {
    Duration ahead = Duration.ofMinutes(73).plusSeconds(20);
    try (KmsTestHost old = KmsTestHost.builder().seed(1).start();
        KmsTestHost neu = KmsTestHost.builder().seed(2).start()) {
      Instant hostTime = old.now();
      MigrationReport report =
          MigrationCheck.builder()
              .oldHost(new InetSocketAddress("127.0.0.1", old.port()))
              .newHost(new InetSocketAddress("127.0.0.1", neu.port()))
              .clock(InstantSource.fixed(hostTime.minus(ahead)))
              .build()
              .run();
      Check host = report.check("host.old").orElseThrow();
      String clock =
          host.details().stream().filter(d -> d.startsWith("clock: ")).findFirst().orElseThrow();
      assertTrue(clock.startsWith("clock: offset +1 h 13 min "), clock);
      int seconds =
          Integer.parseInt(clock.replaceAll("clock: offset \\+1 h 13 min (\\d+) s .*", "$1"));
      assertTrue(Math.abs(seconds - 20) <= 5, clock);
      assertEquals(CheckStatus.WARN, host.status(), "more than an hour off is worth a look");
    }
  }
}
