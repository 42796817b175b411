package io.github.kmsj.dns;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.client.LocatorException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A DNS server that does not answer: every failure says what happened, never "(null)". */
final class SrvLocatorDeadServerTest {
  private final SrvLocator locator =
      SrvLocator.builder()
          .server(new InetSocketAddress("127.0.0.1", 9), Duration.ofMillis(500))
          .build();

  @Test
  void locate_deadServer_attemptSaysNoAnswerWithAReason() {
    LocatorException e = assertThrows(LocatorException.class, () -> locator.locate("corp.test"));
    assertTrue(e.getMessage().contains("_vlmcs._tcp.corp.test. via"), e.getMessage());
    assertTrue(e.getMessage().contains("no answer ("), e.getMessage());
    assertTrue(!e.getMessage().contains("(null)"), e.getMessage());
  }

  @Test
  void addresses_deadServer_namesTheNameAndEachQuery() {
    UnknownHostException e =
        assertThrows(UnknownHostException.class, () -> locator.addresses("kms.corp.test"));
    assertTrue(e.getMessage().startsWith("no address for kms.corp.test. via "), e.getMessage());
    assertTrue(
        e.getMessage().contains("A: no answer (") && e.getMessage().contains("AAAA: no answer ("),
        e.getMessage());
    assertTrue(!e.getMessage().contains("(null)"), e.getMessage());
  }

  @Test
  void locate_runbookSpelling_queriesTheSameName() {
    LocatorException e =
        assertThrows(LocatorException.class, () -> locator.locate("_vlmcs._tcp.corp.test"));
    assertTrue(e.getMessage().contains("SRV _vlmcs._tcp.corp.test. via"), e.getMessage());
  }

  @Test
  void addresses_localhost_loopbackWithoutAskingTheServer() throws Exception {
    assertTrue(locator.addresses("localhost.").stream().allMatch(a -> a.isLoopbackAddress()));
    assertTrue(SrvLocator.isLocalhost("kms.LOCALHOST"));
    assertTrue(!SrvLocator.isLocalhost("localhost.corp.test"));
  }
}
