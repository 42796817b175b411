package io.github.kmsj.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scenario files: defaults, and one-line errors that name the field and, where known, the line. */
final class ScenarioReaderTest {

  private static String error(String yaml) {
    ScenarioException e = assertThrows(ScenarioException.class, () -> SimulationTest.yaml(yaml));
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    return e.getMessage();
  }

  @Test
  void read_minimal_fillsTheDocumentedDefaults() {
    Scenario s =
        SimulationTest.yaml(
            """
            days: 10
            hosts: [{name: kms1}]
            fleets: [{name: pc, product: Windows 11, count: 3}]
            """);
    assertEquals("2026-01-05", s.start());
    assertEquals(1L, s.seed());
    assertEquals(1440, s.sampleMinutes());
    assertTrue(s.hostCaching());
    assertEquals(List.of(new Scenario.Srv("kms1", 0, 100, 0, null)), s.dns());
    Scenario.Host h = s.hosts().get(0);
    assertEquals(120, h.activationIntervalMinutes());
    assertEquals(10_080, h.renewalIntervalMinutes());
    assertEquals(240, h.maxClockSkewMinutes());
    assertEquals(0, h.startDay());
    Scenario.Fleet f = s.fleets().get(0);
    assertEquals(0, f.arrival().arrivalMinute(2), "all on day 0");
    assertEquals(1, f.clones());
    assertEquals(0, f.clockSkewMinutes());
  }

  @Test
  void read_unknownField_namesItsPathLineAndTheKnownFields() {
    String m =
        error(
            """
            days: 10
            hosts: [{name: kms1}]
            fleets:
              - {name: pc, product: Windows 11, cout: 3}
            """);
    assertTrue(m.startsWith("test.yaml:4:"), m);
    assertTrue(m.contains("fleets[0]: unknown field 'cout'"), m);
    assertTrue(m.contains("count"), m);
  }

  @Test
  void read_unknownFieldBesideEveryRequiredOne_namesItsPathAndLine() {
    String m =
        error(
            """
            days: 10
            hosts: [{name: kms1, outages: [{day: 1, days: 2, hours: 3}]}]
            fleets: [{name: pc, product: Windows 11, count: 3}]
            """);
    assertTrue(m.startsWith("test.yaml:2:"), m);
    assertTrue(
        m.contains("hosts[0].outages[0].hours: unknown field 'hours' (known: day, days)"), m);
  }

  @Test
  void read_outOfRange_namesTheFleetAndTheRule() {
    String m =
        error(
            """
            days: 10
            hosts: [{name: kms1}]
            fleets:
              - name: pc
                product: Windows 11
                count: 0
            """);
    assertTrue(m.startsWith("test.yaml:"), m);
    assertTrue(m.contains("fleets[0]: fleet 'pc': count must be 1-1000000: 0"), m);
  }

  @Test
  void read_wrongType_namesTheFieldAndLine() {
    String m =
        error(
            """
            days: many
            hosts: [{name: kms1}]
            fleets: [{name: pc, product: Windows 11, count: 3}]
            """);
    assertTrue(m.startsWith("test.yaml:1:"), m);
    assertTrue(m.contains("days"), m);
  }

  @Test
  void read_recordForAnUnknownHost_isRefused() {
    String m =
        error(
            """
            days: 10
            hosts: [{name: kms1}]
            dns: [{host: kms2}]
            fleets: [{name: pc, product: Windows 11, count: 3}]
            """);
    assertTrue(m.contains("dns: record for 'kms2', which is not in hosts [kms1]"), m);
  }

  @Test
  void read_arrivalWithBothDayAndRate_isRefused() {
    String m =
        error(
            """
            days: 10
            hosts: [{name: kms1}]
            fleets: [{name: pc, product: Windows 11, count: 3, arrival: {day: 1, perDay: 2}}]
            """);
    assertTrue(m.contains("fleets[0].arrival: arrival must give either day, or perDay"), m);
  }

  @Test
  void read_notYaml_givesTheLine() {
    String m = error("days: 10\nhosts: [{name: kms1}\nfleets: []\n");
    assertTrue(m.matches("test\\.yaml:\\d+:\\d+: .*"), m);
  }

  @Test
  void read_missingFile_saysSo(@TempDir Path dir) {
    ScenarioException e =
        assertThrows(ScenarioException.class, () -> ScenarioReader.read(dir.resolve("none.yaml")));
    assertTrue(e.getMessage().endsWith("none.yaml: no such file"), e.getMessage());
  }

  @Test
  void read_emptyFile_saysSo(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("empty.yaml"), "");
    ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioReader.read(f));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
  }

  @Test
  void run_unknownProduct_namesTheFieldAndTheNearest() {
    Scenario s =
        SimulationTest.yaml(
            """
            days: 10
            hosts: [{name: kms1}]
            fleets: [{name: pc, product: Windoes 11 Pro, count: 3}]
            """);
    ScenarioException e = assertThrows(ScenarioException.class, () -> Simulation.run(s));
    assertTrue(
        e.getMessage().startsWith("fleets[0].product: no single catalog product matches"),
        e.getMessage());
    assertTrue(e.getMessage().contains("nearest: "), e.getMessage());
  }

  @Test
  void run_unknownHostKeyGroup_namesTheFieldAndTheNearest() {
    Scenario s =
        SimulationTest.yaml(
            """
            days: 10
            hosts: [{name: kms1, hostKeyGroups: [windows-server-2052]}]
            fleets: [{name: pc, product: Windows 11, count: 3}]
            """);
    ScenarioException e = assertThrows(ScenarioException.class, () -> Simulation.run(s));
    assertTrue(
        e.getMessage().startsWith("hosts[0].hostKeyGroups[0]: no host-key group"), e.getMessage());
    assertTrue(e.getMessage().contains("windows-server-2025"), e.getMessage());
  }
}
