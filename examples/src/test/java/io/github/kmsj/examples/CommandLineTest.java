package io.github.kmsj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The programs' argument handling: one-line errors with status 2, and the demo end to end. */
final class CommandLineTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Kmsj.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String errText() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void host_renewalIntervalTooShort_oneLineErrorStatus2() {
    assertEquals(2, run("host", "--renewal-interval", "3"));
    assertEquals("kmsj host: renewal interval must be whole minutes from 15 min to 30 days: PT3M\n", errText());
  }

  @Test
  void host_unknownOption_oneLineErrorStatus2() {
    assertEquals(2, run("host", "--bogus"));
    assertEquals(1, errText().lines().count());
    assertTrue(errText().contains("unknown option --bogus"));
  }

  @Test
  void probe_badCmid_oneLineErrorStatus2() {
    assertEquals(2, run("probe", "127.0.0.1", "--cmid", "not-a-guid"));
    assertEquals(1, errText().lines().count());
    assertTrue(errText().contains("--cmid needs a GUID"));
  }

  @Test
  void probe_unknownProduct_oneLineErrorStatus2() {
    assertEquals(2, run("probe", "127.0.0.1", "--product", "Windows 98"));
    assertTrue(errText().contains("no single catalog product matches 'Windows 98'"));
  }

  @Test
  void probe_closedPort_transportFailureStatus5() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    assertEquals(5, run("probe", "127.0.0.1:" + port, "--timeout", "2"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("failed at CONNECT"), out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void unknownCommand_status2() {
    assertEquals(2, run("frobnicate"));
    assertTrue(errText().startsWith("kmsj: unknown command 'frobnicate'"));
  }

  @Test
  void demo_runsToTheEnd_everyStepAsDocumented() {
    assertEquals(0, run("demo", "--quiet"));
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("client 25: activated: count 25 >= N 25"), text);
    assertTrue(text.contains("client 5: activated: count 5 >= N 5"), text);
    assertTrue(text.contains("renewal: activated: count 25 >= N 25"), text);
    assertTrue(text.contains("0xC004F042"), text);
  }
}
