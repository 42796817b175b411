package io.github.kmsj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kmsj simulate}: every example scenario runs and writes its files, each shows what its
 * comment says (expected values from the documented rules), bad scenarios get one-line errors, and
 * {@code --validate} compares with loopback sockets.
 */
final class SimulateCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SCENARIOS = Path.of("scenarios");

  private final CliRun cli = new CliRun();

  private int run(String... args) {
    return cli.run(args);
  }

  private JsonNode simulate(String scenario, Path dir) throws Exception {
    int status =
        run("simulate", SCENARIOS.resolve(scenario).toString(), "--out", dir.toString(), "--json");
    assertEquals(0, status, cli.err.toString(StandardCharsets.UTF_8));
    JsonNode root = JSON.readTree(cli.out.toString(StandardCharsets.UTF_8));
    assertEquals(6, root.get("files").size());
    for (String svg : List.of("counts.svg", "states.svg", "requests.svg")) {
      assertEquals(
          "svg",
          DocumentBuilderFactory.newInstance()
              .newDocumentBuilder()
              .parse(dir.resolve(svg).toFile())
              .getDocumentElement()
              .getNodeName());
    }
    assertTrue(Files.size(dir.resolve("series.csv")) > 0);
    return root.get("summary");
  }

  private static JsonNode host(JsonNode summary, int i) {
    return summary.get("hosts").get(i);
  }

  /**
   * 20 desktops on day 0 and 2 a day from day 1: the count reaches 25 on day 3, after which every
   * desktop activates; 4 servers (N=5) on day 5 join a Windows count already above 5; 30 Office
   * installations (N=5) activate on day 0. Nobody reaches notification; all 74 are licensed.
   */
  @Test
  void example_newHostThreshold_everybodyLicensed(@TempDir Path dir) throws Exception {
    JsonNode s = simulate("new-host-threshold.yaml", dir);
    assertTrue(s.get("firstNotificationDay").isNull());
    assertEquals(74, s.get("licensedAtEnd").asInt());
    assertEquals(1.0, s.get("licensedShareAtEnd").asDouble());
  }

  /**
   * The old host is retired on day 40 while all 66 clients still cache it (caching keeps them there
   * after the SRV switch on day 20); each moves at its next weekly renewal, so the old host is idle
   * by day 47 and nobody loses the licence.
   */
  @Test
  void example_migration_everyClientMovesWithinAWeekOfRetirement(@TempDir Path dir)
      throws Exception {
    JsonNode s = simulate("migration.yaml", dir);
    assertTrue(s.get("firstNotificationDay").isNull());
    assertEquals(66, host(s, 0).get("dependentsAtRetirement").asInt());
    double idle = host(s, 0).get("idleFromDay").asDouble();
    assertTrue(idle > 40 && idle <= 47, "idle from " + idle);
    assertTrue(host(s, 0).get("safeToRetireDay").isNull());
    assertEquals(66, s.get("licensedAtEnd").asInt());
  }

  /**
   * 40 desktops split between two equal-weight hosts: both below 25 (a 92% chance for a binomial
   * split of 40; the scenario's seed gives one such split), so the only licensed clients are the 12
   * Office installations and the desktops enter notification on day 30.
   */
  @Test
  void example_twoHostsByWeight_desktopsNeverActivate(@TempDir Path dir) throws Exception {
    JsonNode s = simulate("two-hosts-weights.yaml", dir);
    assertEquals(30.0, s.get("firstNotificationDay").asDouble());
    assertEquals(12, s.get("licensedAtEnd").asInt());
    assertTrue(host(s, 0).get("finalCounts").get(0).asInt() < 25);
    assertTrue(host(s, 1).get("finalCounts").get(0).asInt() < 25);
  }

  /**
   * The clients that failed over to the standby during kms-a's 3-day outage stay there below
   * threshold; 180 days after their last renewal on kms-a (about day 14-20) they reach
   * notification, so the first notification falls between day 194 and day 203; the others stay
   * licensed.
   */
  @Test
  void example_twoHostsByPriority_failedOverClientsStrandedOnTheStandby(@TempDir Path dir)
      throws Exception {
    JsonNode s = simulate("two-hosts-priorities.yaml", dir);
    double first = s.get("firstNotificationDay").asDouble();
    assertTrue(first >= 193 && first <= 203, "first notification on day " + first);
    int stranded = host(s, 1).get("finalCounts").get(0).asInt();
    assertTrue(stranded > 0 && stranded < 25, stranded + " on kms-b");
    assertEquals(40 - stranded, s.get("licensedAtEnd").asInt());
  }

  /**
   * Activated on day 0, last renewed on day 7 before the outage from day 10: licences run out on
   * day 187, while the host is still down (until day 195).
   */
  @Test
  void example_longOutage_notificationOnDay187(@TempDir Path dir) throws Exception {
    JsonNode s = simulate("long-outage.yaml", dir);
    assertEquals(187.0, s.get("firstNotificationDay").asDouble());
    assertEquals(100, s.get("licensedAtEnd").asInt());
  }

  /**
   * 60 clones of 5 images count 5: notification on day 30; the 20 pool desktops on day 35 make 25
   * and everybody activates; the summary finds the 5 shared CMIDs.
   */
  @Test
  void example_clonedImages_fiveCmidsFound(@TempDir Path dir) throws Exception {
    JsonNode s = simulate("cloned-images.yaml", dir);
    assertEquals(30.0, s.get("firstNotificationDay").asDouble());
    assertEquals(5, s.get("clonesFound").asInt());
    assertEquals(80, s.get("licensedAtEnd").asInt());
  }

  @Test
  void simulate_badScenario_oneLineErrorNamingTheField(@TempDir Path dir) throws Exception {
    Path bad =
        Files.writeString(
            dir.resolve("bad.yaml"),
            "days: 10\nhosts: [{name: kms1}]\nfleets:\n  - {name: pc, product: Windows 11, count: -3}\n");
    assertEquals(2, run("simulate", bad.toString()));
    String e = cli.err.toString(StandardCharsets.UTF_8);
    assertEquals(1, e.lines().count(), e);
    assertTrue(e.startsWith("kmsj simulate: bad.yaml:4:"), e);
    assertTrue(e.contains("fleets[0]: fleet 'pc': count must be"), e);
    assertEquals("", cli.out.toString(StandardCharsets.UTF_8));

    assertEquals(2, run("simulate", dir.resolve("missing.yaml").toString()));
    assertTrue(cli.err.toString(StandardCharsets.UTF_8).contains("no such file"));
  }

  @Test
  void simulate_validate_agreesWithLoopback(@TempDir Path dir) throws Exception {
    Path small =
        Files.writeString(
            dir.resolve("small.yaml"),
            """
            name: small
            days: 10
            hosts: [{name: kms1}]
            fleets: [{name: pc, product: Windows 11, count: 26}]
            """);
    assertEquals(0, run("simulate", small.toString(), "--validate"), cli.err.toString());
    String text = cli.out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("26 licensed (100.0%)"), text);
    assertTrue(
        text.contains("validation: the loopback run agrees with the simulator on all 11"), text);
  }
}
