package io.github.kmsj.core.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.protocol.message.VerifiedResponse;
import io.github.kmsj.protocol.rpc.ClientRpcOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Where the IPv6 wildcard cannot be bound (a kernel without IPv6, simulated by a child JVM with
 * {@code java.net.preferIPv4Stack=true}), the server listens on 0.0.0.0 instead and serves IPv4.
 */
final class Ipv4FallbackTest {
  @Test
  void ipv6WildcardUnavailable_fallsBackToIpv4AndServes() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-Djava.net.preferIPv4Stack=true",
                "-cp",
                System.getProperty("java.class.path"),
                Ipv4OnlyServerMain.class.getName())
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String bound = null;
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith("BOUND ")) {
          bound = line.substring(6);
          break;
        }
      }
      assertNotNull(bound, "the child server reported its address");
      assertTrue(bound.startsWith("/0.0.0.0:"), "listening on the IPv4 wildcard: " + bound);
      int port = Integer.parseInt(bound.substring(bound.lastIndexOf(':') + 1));
      try (RawKmsClient client =
          new RawKmsClient(new InetSocketAddress("127.0.0.1", port), ClientRpcOptions.WINDOWS)) {
        client.bind();
        VerifiedResponse r =
            client.activate(TestRequests.windows10(6, TestRequests.cmid(1), Instant.now()));
        assertEquals(1, r.response().base().currentClientCount());
      }
    } finally {
      child.getOutputStream().close();
      if (!child.waitFor(10, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    }
  }
}
