package io.github.kmsj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The picocli command line: every class of bad argument gives one line on stderr and the documented
 * status, --json output parses back, and nothing prints a Java toString.
 */
final class CliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final CliRun cli = new CliRun();

  private int run(String... args) {
    return cli.run(args);
  }

  private String outText() {
    return cli.outText();
  }

  private String errText() {
    return cli.errText();
  }

  private void assertOneLineError(int status, String command, String expected, String... args) {
    assertEquals(status, run(args), errText());
    String e = errText();
    assertEquals(1, e.lines().count(), e);
    assertTrue(e.startsWith("kmsj " + command + ": "), e);
    assertTrue(e.contains(expected), e);
    assertEquals("", outText(), "errors go to stderr only");
    assertNoLeaks(e);
  }

  private static void assertNoLeaks(String text) {
    for (String leak :
        List.of(
            "PT1", "PT2", "FileHostStore[", "(null)", "replaceExisting", "/[0:0", "Exception")) {
      assertFalse(text.contains(leak), leak + " in: " + text);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "probe 1.2.3:99|probe|bad IPv4 address '1.2.3'",
        "probe 300.1.1.1|probe|bad IPv4 address",
        "probe ::1|probe|goes in brackets, as [::1]:1688",
        "probe [::1]x|probe|bad address",
        "probe 127.0.0.1:99999|probe|port must be 0-65535",
        "probe 127.0.0.1:x|probe|bad port 'x'",
        "probe -7|probe|not the negative number -7",
        "probe 127.0.0.1 --requests 0|probe|--requests must be 1-1000000: 0",
        "probe 127.0.0.1 --requests x|probe|'x' is not an int",
        "probe 127.0.0.1 --timeout -1|probe|--timeout must be 0-86400 seconds: -1",
        "probe 127.0.0.1 -4 -6|probe|give one of -4, -5 and -6",
        "probe 127.0.0.1 127.0.0.2|probe|unexpected argument 127.0.0.2",
        "probe|probe|give one HOST[:PORT]",
        "host --listen 1.2.3:99|host|bad IPv4 address '1.2.3'",
        "host --listen -7|host|not the negative number -7",
        "host --port -7|host|--port must be 0-65535: -7",
        "host --no-store --activation-interval 2|host|activation interval must be whole minutes from 15 min"
            + " to 30 days: 2 min",
        "host --renewal-interval x|host|'x' is not a long",
        "host --drain-timeout -1|host|--drain-timeout must be 0-3600 seconds: -1",
        "host --bogus|host|unknown option --bogus",
        "host extra|host|unexpected argument extra",
        "host --replace-catalog|host|--replace-catalog needs --catalog FILE",
        "host --no-store --groups nope|host|unknown host-key group: 'nope'",
        "host --no-store --data-dir x|host|--no-store cannot be combined",
        "host --log-level loud|host|--log-level must be one of",
        "host --durability never --no-store|host|--no-store cannot be combined",
        "host --group-wait 20000|host|--group-wait must be 0 to 10000 microseconds: 20000",
        "host --no-store --group-wait 100|host|--group-wait is for the file store",
        "host --durability process-crash --group-wait 100|host|--group-wait needs --durability"
            + " power-loss",
        "dns check|dns check|Missing required parameter: 'DOMAIN'",
        "export|export|Missing required option: '--out=FILE'",
        "completion fish|completion|SHELL must be bash or zsh: fish",
        "frobnicate|kmsj|unknown command 'frobnicate'",
      })
  void badArgument_oneLineOnStderr_status2(String args, String command, String expected) {
    String[] argv = args.split(" ");
    String cmd = command.equals("kmsj") ? "" : command;
    assertEquals(Kmsj.USAGE, run(argv), errText());
    String e = errText();
    assertEquals(1, e.lines().count(), e);
    assertTrue(e.startsWith(cmd.isEmpty() ? "kmsj: " : "kmsj " + cmd + ": "), e);
    assertTrue(e.contains(expected), e);
    assertEquals("", outText(), "errors go to stderr only");
    assertNoLeaks(e);
  }

  @Test
  void configFile_unknownKeyOrBadFlag_oneLineWithFileAndLine(@TempDir Path tmp) throws Exception {
    Path conf = tmp.resolve("kmsj.conf");
    Files.writeString(conf, "# kmsj\nlisten = 127.0.0.1:0\nlisen = 1\n");
    assertOneLineError(
        Kmsj.USAGE,
        "host",
        conf + " line 3: unknown setting 'lisen'",
        "host",
        "--config",
        "" + conf);
    Files.writeString(conf, "strict = yes\n");
    assertOneLineError(
        Kmsj.USAGE, "host", "strict is true or false, not 'yes'", "host", "--config", "" + conf);
    assertOneLineError(
        Kmsj.USAGE, "host", "cannot read --config", "host", "--config", tmp + "/missing.conf");
  }

  @Test
  void configFile_suppliesDefaults_flagsOverrideIt(@TempDir Path tmp) throws Exception {
    Path conf = tmp.resolve("kmsj.conf");
    Files.writeString(
        conf,
        "listen = 127.0.0.1:0, [::1]:0\nrenewal-interval = 30\nstrict = true\n"
            + "--drain-timeout = 9\ngroups = windows-server-2022,office-ltsc-2024\n");
    HostCommand h = HostCommand.parse("--config", conf.toString(), "--renewal-interval", "60");
    assertEquals(List.of("127.0.0.1:0", "[::1]:0"), h.listen);
    assertEquals(60, h.renewalInterval, "the flag overrides the file");
    assertTrue(h.strict);
    assertEquals(9.0, h.drainTimeout);
    assertEquals(List.of("windows-server-2022", "office-ltsc-2024"), h.groups);
    HostCommand flags = HostCommand.parse("--config", conf.toString(), "--listen", "[::]:1");
    assertEquals(List.of("[::]:1"), flags.listen, "a repeatable flag replaces the file's list");
  }

  @Test
  void version_isTheMavenVersion() {
    assertEquals(0, run("--version"));
    assertTrue(outText().matches("kmsj \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R"), outText());
  }

  @Test
  void help_listsTheExitStatusTable_asTheProbeBehaves() {
    assertEquals(0, run("probe", "--help"));
    String help = outText();
    for (String row :
        List.of(
            "0   success",
            "1   failure",
            "2   usage",
            "3   refused",
            "4   no host found",
            "5   transport or validation failure (the host given by address refused")) {
      assertTrue(help.contains(row), row + " in " + help);
    }
  }

  @Test
  void probe_closedPort_transportStatusAsHelpSays() throws Exception {
    int port;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    assertEquals(Kmsj.TRANSPORT, run("probe", "127.0.0.1:" + port, "--timeout", "2", "--json"));
    JsonNode doc = JSON.readTree(outText());
    assertEquals("failed", doc.at("/results/0/outcome").asText());
    assertEquals("CONNECT", doc.at("/results/0/stage").asText());
    assertEquals(1, doc.at("/summary/transportFailure").asInt());
    assertEquals(Kmsj.TRANSPORT, doc.at("/summary/exitStatus").asInt());
  }

  @Test
  void probe_json_resultsAndSummaryParseBack_refusedIsStatus3() throws Exception {
    HostRuntime host = HostCommand.build("--listen", "127.0.0.1:0", "--no-store").start();
    try {
      String target = "127.0.0.1:" + host.server().port();
      assertEquals(0, run("probe", target, "--requests", "5", "--random-cmid", "--json"));
      JsonNode doc = JSON.readTree(outText());
      assertEquals(5, doc.get("results").size());
      JsonNode first = doc.at("/results/0");
      assertEquals("belowThreshold", first.get("outcome").asText());
      assertEquals("0xC004F038", first.get("hresult").asText());
      assertEquals(target, first.get("host").asText());
      assertEquals(1, first.get("currentClientCount").asInt());
      assertEquals(25, first.get("requiredClientCount").asInt());
      assertEquals(120, first.get("activationIntervalMinutes").asInt());
      assertEquals(10080, first.get("renewalIntervalMinutes").asInt());
      assertTrue(first.at("/timingsMs/total").asDouble() > 0);
      JsonNode summary = doc.get("summary");
      assertEquals(5, summary.get("requests").asInt());
      assertEquals(5, summary.get("answered").asInt());
      assertEquals(5, summary.get("belowThreshold").asInt());
      assertEquals(0, summary.get("failed").asInt());
      assertTrue(summary.get("latencyP99Ms").asDouble() >= summary.get("latencyP50Ms").asDouble());

      assertEquals(0, run("probe", target, "--requests", "3", "--random-cmid"));
      List<String> lines = outText().lines().toList();
      assertEquals(4, lines.size(), outText());
      assertTrue(
          lines
              .get(3)
              .matches(
                  "summary: 3 requests, 3 answered \\(0 activated, 3 below threshold\\), 0 refused,"
                      + " 0 failed \\(0 no host, 0 transport\\); latency p50 [0-9.]+ ms, p99 [0-9.]+ ms"),
          lines.get(3));
      assertTrue(lines.get(0).contains("retry in 120 min"), lines.get(0));
      assertNoLeaks(outText());

      assertEquals(
          Kmsj.REFUSED, run("probe", target, "--product", "e1c51358-fe3e-4203-a4a2-3b6b20c9734e"));
      assertTrue(outText().contains("refused by " + target), outText());
    } finally {
      host.close(Duration.ofSeconds(1));
    }
  }

  @Test
  void productsAndGroups_json_sayWhichGroupActivatesWhichProduct() throws Exception {
    assertEquals(0, run("products", "--json"));
    JsonNode products = JSON.readTree(outText()).get("products");
    JsonNode win10 = null;
    for (JsonNode p : products) {
      if (p.get("kmsCountedId").asText().equals("58e2134f-8e11-4d17-9cb2-91069c151148")) {
        win10 = p;
      }
    }
    assertEquals(25, win10.get("requiredClientCount").asInt());
    assertTrue(win10.get("activatedByDefaultHost").asBoolean());
    List<String> by = new ArrayList<>();
    win10.get("activatedBy").forEach(g -> by.add(g.asText()));
    assertTrue(by.contains("windows-server-2025"), by.toString());

    assertEquals(0, run("groups", "--json"));
    JsonNode groups = JSON.readTree(outText()).get("groups");
    boolean found = false;
    for (JsonNode g : groups) {
      if (g.get("id").asText().equals("windows-server-2025")) {
        assertTrue(g.get("default").asBoolean());
        for (JsonNode a : g.get("activates")) {
          found |= a.get("kmsCountedId").asText().equals("58e2134f-8e11-4d17-9cb2-91069c151148");
        }
      }
    }
    assertTrue(found);
    assertEquals(0, run("groups"));
    assertTrue(outText().contains("windows-server-2025 [default]"), outText());
    assertEquals(0, run("products"));
    assertTrue(outText().contains("windows-server-2025*"));
  }

  @Test
  void statusExportImport_json_andImportNamesReplaceFlag(@TempDir Path tmp) throws Exception {
    Path data = tmp.resolve("data");
    HostRuntime host =
        HostCommand.build("--listen", "127.0.0.1:0", "--data-dir", data.toString()).start();
    try {
      assertEquals(
          0, run("probe", "127.0.0.1:" + host.server().port(), "--requests", "2", "--random-cmid"));
    } finally {
      host.close(Duration.ofSeconds(1));
    }
    assertEquals(0, run("status", "--data-dir", data.toString(), "--json"));
    JsonNode status = JSON.readTree(outText());
    assertEquals(2, status.get("clientCount").asInt());
    assertEquals("Windows", status.at("/applications/0/name").asText());
    assertEquals(2, status.at("/applications/0/count").asInt());
    assertFalse(status.get("running").asBoolean());

    Path file = tmp.resolve("state.json");
    assertEquals(0, run("export", "--data-dir", data.toString(), "--out", "" + file, "--json"));
    JsonNode export = JSON.readTree(outText());
    assertEquals(2, export.get("clientCount").asInt());
    assertEquals(2, export.at("/counts/0/count").asInt());
    assertEquals("Windows", export.at("/counts/0/name").asText());

    assertEquals(0, run("export", "--data-dir", data.toString(), "--out", "" + file));
    assertTrue(outText().contains("counts Windows 2 to "), outText());

    assertOneLineError(
        Kmsj.USAGE,
        "import",
        data + " already holds a host state; --replace overwrites it",
        "import",
        "--data-dir",
        data.toString(),
        "--in",
        file.toString());
    assertEquals(
        0, run("import", "--data-dir", data.toString(), "--in", "" + file, "--replace", "--json"));
    assertEquals(2, JSON.readTree(outText()).get("clientCount").asInt());
  }

  @Test
  void completion_bash_coversTheCommands() {
    assertEquals(0, run("completion", "bash"));
    String script = outText();
    assertTrue(script.contains("complete -F"), script.substring(0, 200));
    assertTrue(script.contains("probe") && script.contains("--drain-timeout"));
  }

  @Test
  void addresses_printedAsTyped_neverAsJavaToString() throws Exception {
    assertEquals(
        "[::]:1688",
        HostAddresses.format(new InetSocketAddress(InetAddress.getByName("::"), 1688)));
    assertEquals(
        "127.0.0.1:1688",
        HostAddresses.format(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 1688)));
    assertEquals(
        "[2001:db8::1:0:0:1]:1688",
        HostAddresses.format(
            new InetSocketAddress(InetAddress.getByName("2001:db8:0:0:1:0:0:1"), 1688)));
    assertEquals("[::1]:1688", HostAddresses.display("[0:0:0:0:0:0:0:1]:1688"));
    assertEquals("192.0.2.1:1688", HostAddresses.display("192.0.2.1:1688"));
    assertEquals(
        new InetSocketAddress(InetAddress.getByName("::1"), 1688),
        HostAddresses.parse("[::1]", 1688));
    assertEquals(
        new InetSocketAddress(InetAddress.getByName("::"), 99), HostAddresses.parse(":99", 1688));
  }

  @Test
  void intervals_printedInMinutesOrDays() {
    assertEquals("2 min", Options.minutesText(Duration.ofMinutes(2)));
    assertEquals("120 min", Options.minutesText(Duration.ofMinutes(120)));
    assertEquals("1 day", Options.minutesText(Duration.ofDays(1)));
    assertEquals("7 days", Options.minutesText(Duration.ofMinutes(10080)));
  }
}
