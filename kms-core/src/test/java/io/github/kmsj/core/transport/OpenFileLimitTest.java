package io.github.kmsj.core.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.host.KmsHost;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The connection cap follows the open-file limit that {@code /proc/self/limits} reports. */
final class OpenFileLimitTest {
  private static final String LIMITS =
      """
      Limit                     Soft Limit           Hard Limit           Units
      Max cpu time              unlimited            unlimited            seconds
      Max open files            20000                40000                files
      Max locked memory         8388608              8388608              bytes
      """;

  @Test
  void parse_procLimits_readsTheSoftOpenFilesLimit() {
    assertEquals(OptionalLong.of(20000), OpenFileLimit.parse(LIMITS));
    assertEquals(
        OptionalLong.empty(),
        OpenFileLimit.parse("Max open files            unlimited            unlimited  files\n"));
    assertEquals(OptionalLong.empty(), OpenFileLimit.parse("Max cpu time  unlimited\n"));
  }

  @Test
  void effectiveCap_isTheConfiguredCapOrTheFileLimitLessTheReserve() {
    assertEquals(16_384, KmsServer.effectiveCap(16_384, OptionalLong.of(1_048_576)));
    assertEquals(
        1024 - KmsServer.FD_RESERVE, KmsServer.effectiveCap(16_384, OptionalLong.of(1024)));
    assertEquals(16_384, KmsServer.effectiveCap(16_384, OptionalLong.empty()));
    assertEquals(1, KmsServer.effectiveCap(16_384, OptionalLong.of(10)));
  }

  @Test
  void start_capInForce_matchesThisProcessLimit() {
    KmsServer server =
        KmsServer.builder(KmsHost.builder().build().rpcHandler())
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .daemon(true)
            .build();
    assertEquals(16_384, server.settings().maxConnections(), "the default");
    server.start();
    try {
      OptionalLong limit = OpenFileLimit.current();
      assertTrue(limit.isPresent(), "Linux reports /proc/self/limits");
      assertEquals(KmsServer.effectiveCap(16_384, limit), server.connectionCap());
    } finally {
      server.stop(Duration.ofSeconds(1));
    }
  }
}
