package io.github.kmsj.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.protocol.message.Guid;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Overlays, digests and diffs. */
final class CatalogOverlayTest {
  static final String PRODUCT = "12345678-1234-4234-8234-123456789abc";

  /** Adds one product to the built-in windows-server-2022 group, without re-declaring it. */
  static String overlay(String group, String ref) {
    return """
        {"format": "kmsj-overlay/1", "version": "test-1",
         "sources": {"lab": {"title": "our lab test, 2025", "url": null}},
         "kmsCountedIds": [{"id": "%s", "name": "Lab Product", "applicationId": "55c92734-d682-4d71-983e-d6ec3f16059f",
           "requiredClientCount": 5, "protocolMajorVersion": 6, "guidStatus": "corroborated"}],
         "extendGroups": [{"group": "%s", "activates": [{"kmsCountedId": "%s", "name": "Lab Product",
           "confidence": "inferred", "source": {"ref": "%s", "item": "run 1"}}]}]}
        """
        .formatted(PRODUCT, group, PRODUCT, ref);
  }

  @Test
  void overlay_addsOneProductToABuiltInGroup_diffShowsThatAndNothingElse(@TempDir Path dir)
      throws Exception {
    Path file = CatalogImportTest.write(dir, "overlay.json", overlay("windows-server-2022", "lab"));
    ProductCatalog base = ProductCatalog.builtIn();
    ProductCatalog c = base.extend(file);
    Guid id = Guid.parse(PRODUCT);
    HostKeyCoverage host = HostKeyCoverage.of(c, List.of("windows-server-2022"), true);
    assertTrue(host.covers(id));
    assertFalse(HostKeyCoverage.of(base, List.of("windows-server-2022"), true).covers(id));
    for (HostKeyGroup g : base.groups()) {
      for (CoverageEntry e : g.activates()) {
        assertEquals(e, c.group(g.id()).orElseThrow().coverage(e.kmsCountedId()).orElseThrow());
      }
    }
    assertEquals("2025.1+test-1", c.version());
    assertNotEquals(base.digest(), c.digest());
    CatalogDiff d = CatalogDiff.between(base, c);
    List<CatalogDiff.Change> edges =
        d.changes().stream().filter(ch -> ch.section().equals("coverage")).toList();
    assertEquals(1, edges.size(), d.toString());
    assertEquals(
        new CatalogDiff.Change(
            CatalogDiff.Kind.ADDED, "coverage", "windows-server-2022 -> " + PRODUCT, "Lab Product"),
        edges.get(0));
    assertEquals(
        List.of("sources", "kmsCountedIds", "coverage"),
        d.changes().stream().map(CatalogDiff.Change::section).toList());
    CoverageExplanation x = c.explain("windows-server-2022", id);
    assertTrue(x.covered());
    assertEquals("lab", x.chain().get(0).source().orElseThrow().ref());
  }

  @Test
  void overlay_retire_removesTheEdgeAndNotesTheReason(@TempDir Path dir) throws Exception {
    String text =
        """
        {"format": "kmsj-overlay/1", "version": "retire-1",
         "retire": [{"group": "windows-10", "kmsCountedId": "7fde5219-fbfa-484a-82c9-34d1ad53e856", "reason": "we no longer serve Windows 7"}]}
        """;
    ProductCatalog c =
        ProductCatalog.builtIn().extend(CatalogImportTest.write(dir, "r.json", text));
    CoverageExplanation x =
        c.explain("windows-10", Guid.parse("7fde5219-fbfa-484a-82c9-34d1ad53e856"));
    assertFalse(x.covered());
    assertEquals("we no longer serve Windows 7", x.reason().orElseThrow());
    CatalogDiff d = CatalogDiff.between(ProductCatalog.builtIn(), c);
    assertEquals(
        CatalogDiff.Kind.REMOVED,
        d.changes().stream()
            .filter(ch -> ch.section().equals("coverage"))
            .findFirst()
            .orElseThrow()
            .kind());
  }

  @Test
  void overlay_unknownGroupOrSource_errorNamesTheNearest(@TempDir Path dir) throws Exception {
    Path badGroup = CatalogImportTest.write(dir, "g.json", overlay("windows-server-2023", "lab"));
    CatalogException e =
        assertThrows(CatalogException.class, () -> ProductCatalog.builtIn().extend(badGroup));
    assertTrue(
        e.getMessage()
            .contains("unknown host-key group 'windows-server-2023' (nearest: windows-server-202"),
        e.getMessage());
    Path badRef = CatalogImportTest.write(dir, "s.json", overlay("windows-server-2022", "lba"));
    e = assertThrows(CatalogException.class, () -> ProductCatalog.builtIn().extend(badRef));
    assertTrue(
        e.getMessage()
            .contains("cites source 'lba', which is not defined in sources (nearest: lab"),
        e.getMessage());
  }

  @Test
  void catalogFile_unknownSourceRef_isRefused(@TempDir Path dir) throws Exception {
    String text =
        """
        {"format": "kmsj-catalog/1",
         "applications": [{"id": "55c92734-d682-4d71-983e-d6ec3f16059f", "name": "Windows"}],
         "kmsCountedIds": [{"id": "%s", "name": "P", "applicationId": "55c92734-d682-4d71-983e-d6ec3f16059f",
           "requiredClientCount": 5, "protocolMajorVersion": 6, "guidStatus": "corroborated"}],
         "hostKeyGroups": [{"id": "g", "name": "G", "applicationId": "55c92734-d682-4d71-983e-d6ec3f16059f", "hostKind": "server",
           "activates": [{"kmsCountedId": "%s", "name": "P", "confidence": "inferred", "source": {"ref": "nowhere"}}]}]}
        """
            .formatted(PRODUCT, PRODUCT);
    CatalogException e =
        assertThrows(
            CatalogException.class,
            () -> ProductCatalog.load(CatalogImportTest.write(dir, "c.json", text)));
    assertTrue(
        e.getMessage().contains("cites source 'nowhere', which is not defined in sources"),
        e.getMessage());
  }

  @Test
  void digest_builtIn_survivesWriteAndRead(@TempDir Path dir) throws Exception {
    ProductCatalog base = ProductCatalog.builtIn();
    assertEquals(64, base.digest().length());
    assertEquals("2025.1", base.version());
    ProductCatalog back =
        ProductCatalog.load(CatalogImportTest.write(dir, "b.json", base.toJson()));
    assertEquals(base.digest(), back.digest());
    assertTrue(CatalogDiff.between(base, back).isEmpty());
  }
}
