package io.github.kmsj.dns;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Makes a CI run without the BIND test server fail instead of silently skipping the DNS integration
 * tests. Start the server with {@code .ci/dns/with-test-dns.sh}.
 */
final class TestDnsServerPresenceTest {

  @Test
  @EnabledIfEnvironmentVariable(named = "CI", matches = "true")
  void ciRun_environment_describesTestDnsServer() {
    String port = System.getenv("DNS_PORT");
    assertTrue(
        port != null && port.matches("\\d+"),
        "CI=true but DNS_PORT is not set: run the tests under .ci/dns/with-test-dns.sh");
    String secretFile = System.getenv("DNS_TSIG_SECRET_FILE");
    assertTrue(
        secretFile != null && !secretFile.isBlank(), "CI=true but DNS_TSIG_SECRET_FILE is not set");
  }
}
