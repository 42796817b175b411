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
    return Kmsj.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String errText() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void host_renewalIntervalTooShort_oneLineErrorStatus2() {
    assertEquals(2, run("host", "--no-store", "--renewal-interval", "3"));
    assertEquals(
        "kmsj host: renewal interval must be whole minutes from 15 min to 30 days: 3 min\n",
        errText());
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
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    assertEquals(5, run("probe", "127.0.0.1:" + port, "--timeout", "2"));
    assertTrue(
        out.toString(StandardCharsets.UTF_8).contains("failed at CONNECT"),
        out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void hostWithDataDir_statusExportImport_moveCountsAndClients(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
    java.nio.file.Path data = tmp.resolve("data");
    HostRuntime runtime =
        HostCommand.build("--listen", "127.0.0.1:0", "--data-dir", data.toString()).start();
    int port = runtime.server().port();
    try {
      assertEquals(0, run("probe", "127.0.0.1:" + port, "--requests", "3", "--random-cmid"));
      assertEquals(
          1,
          run("export", "--data-dir", data.toString(), "--out", tmp.resolve("x.json").toString()),
          "export refuses a directory a running host holds");
    } finally {
      runtime.close();
    }
    out.reset();
    assertEquals(0, run("status", "--data-dir", data.toString()));
    String status = out.toString(StandardCharsets.UTF_8);
    assertTrue(status.contains("3 client record(s)"), status);
    assertTrue(status.matches("(?s).*Windows\\s+3\\s+50.*"), status);
    assertEquals(
        0,
        run(
            "export",
            "--data-dir",
            data.toString(),
            "--out",
            tmp.resolve("state.json").toString()));
    assertEquals(
        0,
        run(
            "import",
            "--data-dir",
            tmp.resolve("moved").toString(),
            "--in",
            tmp.resolve("state.json").toString()));
    out.reset();
    assertEquals(0, run("status", "--data-dir", tmp.resolve("moved").toString()));
    assertEquals(
        status.lines().skip(1).toList().toString(),
        out.toString(StandardCharsets.UTF_8).lines().skip(1).toList().toString(),
        "the moved state is identical");
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
