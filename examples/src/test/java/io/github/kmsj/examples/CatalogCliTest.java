package io.github.kmsj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kmsj catalog}: import, why, covering, diff, and a host started with an imported catalog
 * answering the kmsj probe for a product only that catalog knows, on loopback.
 */
final class CatalogCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PRODUCT = "11111111-2222-4333-8444-555555555555";
  private static final String XML =
      """
      <?xml version="1.0" encoding="utf-8"?>
      <KmsData Version="1.7" Author="kmsj test">
        <WinBuilds>
          <WinBuild BuildNumber="17763" DisplayName="Windows 10 1809 / Server 2019" PlatformId="3612"
              UseForEpid="true" MayBeServer="true" UsesNDR64="true" WinBuildIndex="0" MinDate="02/10/2018"/>
        </WinBuilds>
        <CsvlkItems>
          <CsvlkItem DisplayName="Lab Server Key" GroupId="206" MinKeyId="551000000" MaxKeyId="570999999"
              Id="bbbbbbbb-cccc-4ddd-8eee-ffffffffffff" InvalidWinBuild="[]">
            <Activate KmsItem="%s"/>
          </CsvlkItem>
        </CsvlkItems>
        <AppItems>
          <AppItem Id="55c92734-d682-4d71-983e-d6ec3f16059f" DisplayName="Windows">
            <KmsItem Id="%s" DisplayName="Lab Product" NCountPolicy="5"/>
          </AppItem>
        </AppItems>
      </KmsData>
      """
          .formatted(PRODUCT, PRODUCT);

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

  private void assertOneLineError(int status, String prefix, String expected, String... args) {
    assertEquals(status, run(args), errText());
    String e = errText();
    assertEquals(1, e.lines().count(), e);
    assertTrue(e.startsWith("kmsj " + prefix + ": "), e);
    assertTrue(e.contains(expected), e);
    assertEquals("", outText());
  }

  @Test
  void importedCatalog_hostActivatesAProductOnlyItKnows_fromTheKmsjProbe(@TempDir Path dir)
      throws Exception {
    Path xml = dir.resolve("KmsDataBase.xml");
    Files.writeString(xml, XML);
    Path catalog = dir.resolve("imported.json");
    assertEquals(
        0,
        run("catalog", "import", "--from", "pykms", "" + xml, "--out", "" + catalog, "--json"),
        errText());
    JsonNode summary = JSON.readTree(outText());
    assertEquals("pykms-lab-server-key", summary.at("/groupIds/0").asText());
    assertEquals(64, summary.get("digest").asText().length());
    assertTrue(Files.exists(catalog));

    HostRuntime host =
        HostCommand.build(
                "--listen",
                "127.0.0.1:0",
                "--no-store",
                "--catalog",
                "" + catalog,
                "--groups",
                "pykms-lab-server-key")
            .start();
    try {
      String target = "127.0.0.1:" + host.server().port();
      assertEquals(
          0,
          run("probe", target, "--catalog", "" + catalog, "--product", PRODUCT, "--json"),
          errText() + outText());
      JsonNode first = JSON.readTree(outText()).at("/results/0");
      assertEquals("belowThreshold", first.get("outcome").asText());
      assertEquals(5, first.get("requiredClientCount").asInt());
      // Windows 7 is not in the imported group: refused.
      assertEquals(
          Kmsj.REFUSED, run("probe", target, "--product", "7fde5219-fbfa-484a-82c9-34d1ad53e856"));
      // Without --catalog the probe does not know the product.
      assertOneLineError(
          Kmsj.USAGE,
          "probe",
          "no product with KMS counted ID " + PRODUCT,
          "probe",
          target,
          "--product",
          PRODUCT);
    } finally {
      host.close(Duration.ofSeconds(1));
    }
  }

  @Test
  void import_malformed_oneLineWithPosition_nothingWritten(@TempDir Path dir) throws Exception {
    Path xml = dir.resolve("bad.xml");
    Files.writeString(xml, XML.replace("</AppItem>", "</AppItm>"));
    Path catalog = dir.resolve("never.json");
    assertOneLineError(
        Kmsj.FAILED,
        "catalog import",
        "bad.xml: line 16, column",
        "catalog",
        "import",
        "--from",
        "pykms",
        "" + xml,
        "--out",
        "" + catalog);
    assertFalse(Files.exists(catalog));
    assertOneLineError(
        Kmsj.USAGE,
        "catalog import",
        "--from must be pykms or vlmcsd: kms",
        "catalog",
        "import",
        "--from",
        "kms",
        "" + xml,
        "--out",
        "" + catalog);
    assertOneLineError(
        Kmsj.USAGE,
        "catalog import",
        "Missing required option: '--out=FILE'",
        "catalog",
        "import",
        "--from",
        "pykms",
        "" + xml);
  }

  @Test
  void why_coveredAndNot_jsonParsesBack() throws Exception {
    assertEquals(
        0,
        run(
            "catalog",
            "why",
            "--group",
            "windows-server-2022",
            "--product",
            "Windows 10 Enterprise LTSC 2019/2021",
            "--json"),
        errText());
    JsonNode doc = JSON.readTree(outText());
    assertTrue(doc.get("covered").asBoolean());
    assertEquals("11b15659-e603-4cf1-9c1f-f0ec01b81888", doc.get("kmsCountedId").asText());
    assertEquals(2, doc.get("chain").size());
    assertEquals("activation-versions", doc.at("/chain/0/source/ref").asText());
    assertEquals("documented", doc.at("/chain/0/confidence").asText());

    assertEquals(
        0,
        run(
            "catalog",
            "why",
            "--group",
            "windows-server-2019",
            "--product",
            "b74263e4-0f92-46c6-bcf8-c11d5efe2959"));
    assertTrue(
        outText().startsWith("not covered: windows-server-2019 does not activate"), outText());
    assertTrue(
        outText().contains("groups that activate it: windows-server-2025, windows-server-2022"),
        outText());
  }

  @Test
  void why_unknownGroupOrProduct_oneLineNamingTheNearest_status2() {
    assertOneLineError(
        Kmsj.USAGE,
        "catalog why",
        "unknown host-key group: 'windows-server-2023' (nearest: windows-server-202",
        "catalog",
        "why",
        "--group",
        "windows-server-2023",
        "--product",
        "Windows 10");
    assertOneLineError(
        Kmsj.USAGE,
        "catalog why",
        "no single product or SKU matches 'Windoes 7 Profesional' (nearest: ",
        "catalog",
        "why",
        "--group",
        "windows-10",
        "--product",
        "Windoes 7 Profesional");
    assertOneLineError(
        Kmsj.USAGE,
        "catalog covering",
        "Missing required option: '--product=NAME|GUID'",
        "catalog",
        "covering");
  }

  @Test
  void covering_json_listsTheGroups() throws Exception {
    assertEquals(
        0,
        run("catalog", "covering", "--product", "86d50b16-4808-41af-b83b-b338274318b2", "--json"));
    JsonNode groups = JSON.readTree(outText()).get("groups");
    assertEquals(1, groups.size(), groups.toString());
    boolean found = false;
    for (JsonNode g : groups) {
      found |= g.get("id").asText().equals("office-ltsc-2021");
    }
    assertTrue(found, groups.toString());
  }

  @Test
  void diff_overlay_showsExactlyOneEdge(@TempDir Path dir) throws Exception {
    Path overlay = dir.resolve("overlay.json");
    Files.writeString(
        overlay,
        """
        {"format": "kmsj-overlay/1", "version": "lab-1",
         "sources": {"lab": {"title": "lab test"}},
         "extendGroups": [{"group": "windows-server-2019", "activates": [{"kmsCountedId": "b74263e4-0f92-46c6-bcf8-c11d5efe2959",
           "name": "Windows Server 2022", "confidence": "inferred", "source": {"ref": "lab"}}]}]}
        """);
    assertEquals(0, run("catalog", "diff", "builtin", "" + overlay, "--json"), errText());
    JsonNode changes = JSON.readTree(outText()).get("changes");
    int edges = 0;
    for (JsonNode c : changes) {
      if (c.get("section").asText().equals("coverage")) {
        edges++;
        assertEquals("added", c.get("kind").asText());
        assertEquals(
            "windows-server-2019 -> b74263e4-0f92-46c6-bcf8-c11d5efe2959", c.get("key").asText());
      }
    }
    assertEquals(1, edges, changes.toString());
    assertEquals(
        0,
        run(
            "catalog",
            "why",
            "--catalog",
            "" + overlay,
            "--group",
            "windows-server-2019",
            "--product",
            "b74263e4-0f92-46c6-bcf8-c11d5efe2959"));
    assertTrue(outText().startsWith("covered: "), outText());
    assertOneLineError(
        Kmsj.USAGE,
        "catalog diff",
        "no such catalog file: nope.json",
        "catalog",
        "diff",
        "builtin",
        "nope.json");
  }
}
