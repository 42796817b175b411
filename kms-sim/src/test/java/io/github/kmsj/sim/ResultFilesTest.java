package io.github.kmsj.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** The files a person opens: CSV rows per sample, JSON that parses back, well-formed SVG. */
final class ResultFilesTest {

  private static final SimulationResult RESULT =
      Simulation.run(
          SimulationTest.yaml(
              """
              name: files
              days: 10
              hosts: [{name: kms1}, {name: kms2}]
              dns: [{host: kms1, priority: 0}, {host: kms2, priority: 10}]
              fleets:
                - {name: pc, product: Windows 11, count: 30}
                - {name: off, product: Office LTSC 2021, count: 5}
              """));

  @Test
  void write_everyFile_parsesAndHasOneRowPerSample(@TempDir Path dir) throws Exception {
    List<Path> files = ResultFiles.write(RESULT, dir);
    assertEquals(6, files.size());
    List<String> csv = Files.readAllLines(dir.resolve("series.csv"));
    assertEquals(
        "day,clients,licensed,oob_grace,oot_grace,notification,unlicensed,"
            + "kms1_up,kms1_windows_count,kms1_office_count,kms1_requests,kms1_dependents,"
            + "kms2_up,kms2_windows_count,kms2_office_count,kms2_requests,kms2_dependents",
        csv.get(0));
    assertEquals(11 + 1, csv.size(), "a header and days 0-10");
    assertTrue(csv.get(10).startsWith("9,35,35,0,0,0,0,1,30,5,"), csv.get(10));

    JsonNode json = new ObjectMapper().readTree(dir.resolve("result.json").toFile());
    assertEquals(11, json.get("samples").size());
    assertEquals("windows", json.get("applications").get(0).get("key").asText());
    assertEquals(25, json.get("applications").get(0).get("thresholds").get(0).asInt());
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    assertEquals(1.0, summary.get("licensedShareAtEnd").asDouble());
    assertEquals(0, summary.get("hosts").get(1).get("requests").asInt(), "priority 10 unused");

    for (String svg : List.of("counts.svg", "states.svg", "requests.svg")) {
      Document d =
          DocumentBuilderFactory.newInstance()
              .newDocumentBuilder()
              .parse(dir.resolve(svg).toFile());
      assertEquals("svg", d.getDocumentElement().getNodeName(), svg);
    }
    String counts = Files.readString(dir.resolve("counts.svg"));
    assertTrue(counts.contains("windows N=25"), "threshold line");
    assertTrue(counts.contains("office N=5"), "threshold line");
    assertEquals(4, counts.split("<polyline", -1).length - 1, "2 hosts x 2 applications");
    String states = Files.readString(dir.resolve("states.svg"));
    assertEquals(5, states.split("<polygon", -1).length - 1, "five stacked states");
  }

  @Test
  void text_namesEveryHostAndTheShareLicensed() {
    String t = ResultFiles.text(RESULT);
    assertTrue(t.contains("35 licensed (100.0%)"), t);
    assertTrue(t.contains("host kms2: 0 requests"), t);
    assertTrue(
        t.contains(
            "host kms2: 0 requests; count at the end: windows 0, office 0; safe to retire from day 0"),
        t);
  }
}
