package io.github.kmsj.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.protocol.message.Guid;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CatalogImport} on small files written by hand from the formats' documentation: py-kms's
 * KmsDataBase.xml header comment and vlmcsd's kms.h data-file structures.
 */
final class CatalogImportTest {
  static final String NEW_PRODUCT = "11111111-2222-4333-8444-555555555555";
  static final String NEW_SKU = "66666666-7777-4888-8999-aaaaaaaaaaaa";
  static final String NEW_CSVLK = "bbbbbbbb-cccc-4ddd-8eee-ffffffffffff";
  private static final String WIN10 = "58e2134f-8e11-4d17-9cb2-91069c151148";

  /** A KmsDataBase.xml with one build, one CSVLK, a known and a new product and one conflict. */
  static String pyKmsXml() {
    return """
        <?xml version="1.0" encoding="utf-8"?>
        <KmsData Version="1.7" Author="kmsj test">
          <WinBuilds>
            <WinBuild BuildNumber="17763" DisplayName="Windows 10 1809 / Server 2019" PlatformId="3612"
                UseForEpid="true" MayBeServer="true" UsesNDR64="true" WinBuildIndex="0" MinDate="02/10/2018"/>
            <WinBuild BuildNumber="99999" DisplayName="No date" PlatformId="1"/>
          </WinBuilds>
          <CsvlkItems>
            <CsvlkItem DisplayName="Test Server Key" GroupId="206" MinKeyId="551000000" MaxKeyId="570999999"
                EPid="03612-00206-568-381813-03-1033-17763.0000-2702018" Id="%s" InvalidWinBuild="[]">
              <Activate KmsItem="%s"/>
              <Activate KmsItem="{%s}"/>
            </CsvlkItem>
          </CsvlkItems>
          <AppItems>
            <AppItem Id="{55C92734-D682-4D71-983E-D6EC3F16059F}" DisplayName="Windows" VlmcsdIndex="0" MinActiveClients="50">
              <KmsItem Id="{%s}" DisplayName="Test Product" NCountPolicy="5" DefaultKmsProtocol="6.0">
                <SkuItem Id="%s" DisplayName="Test Product Edition" Gvlk="ABCDE-FGHIJ-KLMNO-PQRST-UVWXY"/>
              </KmsItem>
              <KmsItem Id="%s" DisplayName="Windows 10" NCountPolicy="7"/>
            </AppItem>
          </AppItems>
        </KmsData>
        """
        .formatted(NEW_CSVLK, NEW_PRODUCT, WIN10, NEW_PRODUCT.toUpperCase(), NEW_SKU, WIN10);
  }

  static Path write(Path dir, String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  @Test
  void pyKms_smallFile_mapsEverySectionAndReportsTheConflict(@TempDir Path dir) throws Exception {
    Path xml = write(dir, "KmsDataBase.xml", pyKmsXml());
    ImportResult r = CatalogImport.fromPyKms(xml, ProductCatalog.builtIn());
    ProductCatalog c = r.catalog();
    KmsCountedProduct p = c.kmsCountedId(Guid.parse(NEW_PRODUCT)).orElseThrow();
    assertEquals(5, p.requiredClientCount());
    assertEquals(6, p.protocolMajorVersion());
    assertEquals(
        "ABCDE-FGHIJ-KLMNO-PQRST-UVWXY",
        c.sku(Guid.parse(NEW_SKU)).orElseThrow().gvlk().orElseThrow());
    HostKeyGroup g = c.group("pykms-test-server-key").orElseThrow();
    assertEquals(HostKind.SERVER, g.hostKind());
    assertEquals(List.of(17763), g.hostBuilds());
    assertEquals(206, g.hostKeys().get(0).groupId());
    assertEquals(2, g.activates().size());
    CoverageEntry e = g.coverage(Guid.parse(NEW_PRODUCT)).orElseThrow();
    assertEquals(Confidence.INFERRED, e.confidence());
    assertEquals("pykms", e.source().ref());
    SourceDocument doc = c.sources().get("pykms");
    assertEquals("KmsDataBase.xml", doc.path().orElseThrow());
    assertEquals(CatalogImport.sha256(Files.readAllBytes(xml)), doc.sha256().orElseThrow());
    assertTrue(c.version().startsWith("pykms-1.7+sha256:"), c.version());
    // Windows 10 with N 7: the built-in entry is kept and the difference reported with both
    // sources.
    assertEquals(25, c.kmsCountedId(Guid.parse(WIN10)).orElseThrow().requiredClientCount());
    assertEquals(1, r.conflicts().size(), r.conflicts().toString());
    ImportConflict x = r.conflicts().get(0);
    assertTrue(x.imported().contains("N 7") && x.existing().contains("N 25"), x.toString());
    assertTrue(
        x.importedSource()
            .contains("KmsDataBase.xml <KmsItem DisplayName=\"Windows 10\"> at line"));
    assertTrue(x.existingSource().contains("2025.1"));
    assertTrue(
        r.unmapped().stream().anyMatch(u -> u.startsWith("CsvlkItem@EPid")),
        r.unmapped().toString());
    assertTrue(
        r.unmapped().stream().anyMatch(u -> u.startsWith("WinBuild 99999")),
        r.unmapped().toString());
    assertTrue(r.unmapped().stream().anyMatch(u -> u.startsWith("AppItem@MinActiveClients")));
  }

  @Test
  void pyKms_importWriteRead_isStable(@TempDir Path dir) throws Exception {
    ProductCatalog c =
        CatalogImport.fromPyKms(write(dir, "db.xml", pyKmsXml()), ProductCatalog.builtIn())
            .catalog();
    Path json = write(dir, "imported.json", c.toJson());
    ProductCatalog back = ProductCatalog.load(json);
    assertEquals(c.digest(), back.digest());
    assertEquals(c.version(), back.version());
    assertEquals(c.toJson(), back.toJson());
    assertTrue(CatalogDiff.between(c, back).isEmpty());
    // Merging it over the built-in catalog changes nothing the built-in catalog knows.
    CatalogDiff d =
        CatalogDiff.between(ProductCatalog.builtIn(), ProductCatalog.builtIn().extend(json));
    assertTrue(
        d.changes().stream().allMatch(ch -> ch.kind() == CatalogDiff.Kind.ADDED), d.toString());
  }

  @Test
  void pyKms_malformed_oneErrorWithThePosition_nothingReturned(@TempDir Path dir) throws Exception {
    String broken = pyKmsXml().replace("</CsvlkItem>", "</CsvlkItm>");
    CatalogException e =
        assertThrows(
            CatalogException.class,
            () -> CatalogImport.fromPyKms(write(dir, "a.xml", broken), ProductCatalog.builtIn()));
    assertTrue(
        e.getMessage().matches(".*a\\.xml: line 1[0-9], column \\d+: not well-formed XML: .*"),
        e.getMessage());
    String noId = pyKmsXml().replace("Id=\"" + NEW_SKU + "\"", "");
    e =
        assertThrows(
            CatalogException.class,
            () -> CatalogImport.fromPyKms(write(dir, "b.xml", noId), ProductCatalog.builtIn()));
    assertTrue(e.getMessage().contains("b.xml: line 18, column"), e.getMessage());
    assertTrue(e.getMessage().endsWith("SkuItem: missing attribute 'Id'"), e.getMessage());
    String badProtocol =
        pyKmsXml().replace("DefaultKmsProtocol=\"6.0\"", "DefaultKmsProtocol=\"7.0\"");
    e =
        assertThrows(
            CatalogException.class,
            () ->
                CatalogImport.fromPyKms(
                    write(dir, "c.xml", badProtocol), ProductCatalog.builtIn()));
    assertTrue(
        e.getMessage().contains("DefaultKmsProtocol must be 4.0, 5.0 or 6.0"), e.getMessage());
  }

  /** A .kmd file laid out as vlmcsd's VlmcsdHeader_t and friends (kms.h), little-endian. */
  static byte[] kmd() {
    ByteArrayOutputStream strings = new ByteArrayOutputStream();
    int stringsAt = 72 + 32 + 4 * 32 + 32; // header, 1 CSVLK, 1 app + 2 KMS + 1 SKU, 1 build
    java.util.function.Function<String, Long> str =
        s -> {
          long at = stringsAt + strings.size();
          strings.writeBytes((s + "\0").getBytes(StandardCharsets.UTF_8));
          return at;
        };
    ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {'K', 'M', 'D', 0}).putShort((short) 0).putShort((short) 2);
    b.put((byte) 1).put((byte) 0).putShort((short) 0);
    b.putInt(1).putInt(2).putInt(1).putInt(1).putInt(0);
    int items = 72 + 32;
    b.putLong(items).putLong(items + 32).putLong(items + 96).putLong(items + 128).putLong(0);
    // CSVLK 0
    b.putLong(str.apply("03612-00206-568-381813-03-1033-17763.0000-2702018")).putLong(1538438400L);
    b.putInt(206).putInt(551000000).putInt(570999999).put((byte) 0).put(new byte[3]);
    item(b, "55c92734-d682-4d71-983e-d6ec3f16059f", str.apply("Windows"), 0, 0, 0, 0, 0);
    item(b, NEW_PRODUCT, str.apply("Test Product"), 0, 0, 6, 5, 0);
    item(b, WIN10, str.apply("Windows 10"), 0, 1, 6, 25, 0);
    item(b, NEW_SKU, str.apply("Test Product Edition"), 0, 0, 0, 0, 0);
    b.putLong(str.apply("Windows 10 1809 / Server 2019")).putLong(1538438400L);
    b.putInt(17763).putInt(3612).putInt(1 | 2 | 4).putInt(0);
    b.put(strings.toByteArray());
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }

  private static void item(
      ByteBuffer b, String guid, long name, int app, int kms, int protocol, int n, int epid) {
    b.put(Guid.parse(guid).toWire()).putLong(name);
    b.put((byte) app).put((byte) kms).put((byte) protocol).put((byte) n);
    b.put((byte) 0).put((byte) 0).put((byte) epid).put((byte) 0);
  }

  @Test
  void vlmcsd_smallFile_mapsItemsAndTheCsvlkGroup(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("vlmcsd.kmd");
    Files.write(file, kmd());
    ImportResult r = CatalogImport.fromVlmcsd(file, ProductCatalog.builtIn());
    ProductCatalog c = r.catalog();
    assertEquals(5, c.kmsCountedId(Guid.parse(NEW_PRODUCT)).orElseThrow().requiredClientCount());
    assertEquals(Guid.parse(NEW_PRODUCT), c.sku(Guid.parse(NEW_SKU)).orElseThrow().kmsCountedId());
    HostKeyGroup g = c.group("vlmcsd-windows").orElseThrow();
    assertEquals(2, g.activates().size());
    assertEquals(List.of(17763), g.hostBuilds());
    assertEquals(206, g.hostKeys().get(0).groupId());
    assertEquals("vlmcsd", g.activates().get(0).source().ref());
    assertTrue(c.version().startsWith("vlmcsd-kmd-2.0+sha256:"));
    assertTrue(r.conflicts().isEmpty(), r.conflicts().toString());
    assertTrue(
        r.unmapped().stream().anyMatch(u -> u.startsWith("SKU GVLKs")), r.unmapped().toString());
    // Group 206 with this key range is a built-in CSVLK (Windows Server 2019): its activation ID is
    // reused instead of a made-up one.
    Guid csvlk = g.hostKeys().get(0).csvlkId();
    assertTrue(
        ProductCatalog.builtIn().groups().stream()
            .anyMatch(bg -> bg.hostKeys().stream().anyMatch(k -> k.csvlkId().equals(csvlk))));
    assertFalse(r.unmapped().stream().anyMatch(u -> u.contains("no CSVLK activation ID")));
    ProductCatalog back = ProductCatalog.load(write(dir, "k.json", c.toJson()));
    assertEquals(c.digest(), back.digest());
  }

  @Test
  void vlmcsd_malformed_oneErrorWithTheByteOffset(@TempDir Path dir) throws Exception {
    byte[] good = kmd();
    byte[] magic = good.clone();
    magic[0] = 'X';
    assertKmdError(dir, magic, "byte offset 0: not a vlmcsd data file");
    byte[] version = good.clone();
    version[6] = 3;
    assertKmdError(dir, version, "byte offset 6: unsupported .kmd version 3.0");
    assertKmdError(
        dir, java.util.Arrays.copyOf(good, 40), "byte offset 0: a .kmd file has a 72-byte header");
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
    assertKmdError(dir, truncated, "must end with a NUL byte");
    byte[] count = good.clone();
    ByteBuffer.wrap(count).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 200);
    assertKmdError(
        dir, count, "byte offset 40: 200 KMS counted ID records at offset 136 run past the end");
    byte[] index = good.clone();
    index[72 + 32 + 32 + 30] = 9; // ePidIndex of the first KMS counted ID
    assertKmdError(dir, index, "byte offset 166: ePidIndex 9 but there are 1 CSVLKs");
  }

  private static void assertKmdError(Path dir, byte[] bytes, String expected) throws Exception {
    Path f = dir.resolve("bad.kmd");
    Files.write(f, bytes);
    CatalogException e =
        assertThrows(
            CatalogException.class, () -> CatalogImport.fromVlmcsd(f, ProductCatalog.builtIn()));
    assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }
}
