package io.github.kmsj.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.protocol.message.Guid;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ProductCatalogTest {

  static final Guid WINDOWS = Guid.parse("55c92734-d682-4d71-983e-d6ec3f16059f");
  static final Guid OFFICE_2010 = Guid.parse("59a52881-a989-479d-af46-f275c6370663");
  static final Guid OFFICE_2013 = Guid.parse("0ff1ce15-a989-479d-af46-f275c6370663");
  static final Guid WINDOWS_10_VOLUME = Guid.parse("58e2134f-8e11-4d17-9cb2-91069c151148");
  static final Guid SERVER_2019 = Guid.parse("8449b1fb-f0ea-497a-99ab-66ca96e9a0f5");
  static final Guid SERVER_2025 = Guid.parse("907f1f65-adcd-4a2e-95bc-4bf500bc6e58");
  static final Guid SERVER_2025_PLACEHOLDER = Guid.parse("4b83307d-7788-50ff-8d1f-1861915bdb9d");

  /** A minimal valid catalog with one application, one product and one SKU. */
  static final String SMALL =
      """
      {
        "format": "kmsj-catalog/1",
        "applications": [ { "id": "55c92734-d682-4d71-983e-d6ec3f16059f", "name": "Windows" } ],
        "kmsCountedIds": [ {
          "id": "11111111-2222-4333-8444-555555555555", "name": "Windows Test Edition",
          "applicationId": "55c92734-d682-4d71-983e-d6ec3f16059f",
          "requiredClientCount": 25, "protocolMajorVersion": 6, "guidStatus": "established" } ],
        "skus": [ { "skuId": "aaaaaaaa-2222-4333-8444-555555555555", "name": "Test SKU",
                    "kmsCountedId": "11111111-2222-4333-8444-555555555555", "gvlk": null } ]
      }
      """;

  static ProductCatalog parse(String json) {
    return ProductCatalog.load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void builtIn_loaded_hasEverySection() {
    ProductCatalog catalog = ProductCatalog.builtIn();

    assertEquals(3, catalog.applications().size());
    assertEquals(39, catalog.kmsCountedIds().size());
    assertEquals(262, catalog.skus().size());
    assertEquals(20, catalog.groups().size());
    assertEquals(30, catalog.hostBuilds().size());
    assertSame(catalog, ProductCatalog.builtIn());
  }

  @Test
  void builtIn_applications_areTheThreeOfTheProtocol() {
    ProductCatalog catalog = ProductCatalog.builtIn();

    assertEquals("Windows", catalog.application(WINDOWS).orElseThrow().name());
    assertTrue(catalog.application(OFFICE_2010).isPresent());
    assertTrue(catalog.application(OFFICE_2013).isPresent());
  }

  @Test
  void builtIn_kmsCountedIds_carryPolicyProtocolAndStatus() {
    ProductCatalog catalog = ProductCatalog.builtIn();

    KmsCountedProduct windows10 = catalog.kmsCountedId(WINDOWS_10_VOLUME).orElseThrow();
    assertEquals(25, windows10.requiredClientCount());
    assertEquals(6, windows10.protocolMajorVersion());
    assertEquals(WINDOWS, windows10.applicationId());
    assertEquals(GuidStatus.ESTABLISHED, windows10.guidStatus());

    assertEquals(5, catalog.kmsCountedId(SERVER_2019).orElseThrow().requiredClientCount());
    assertTrue(catalog.kmsCountedId(SERVER_2025_PLACEHOLDER).orElseThrow().isDoubtful());
    assertEquals(
        GuidStatus.CORROBORATED, catalog.kmsCountedId(SERVER_2025).orElseThrow().guidStatus());
    assertEquals(
        4,
        catalog
            .kmsCountedId(Guid.parse("212a64dc-43b1-4d3d-a30c-2fc69d2095c6"))
            .orElseThrow()
            .protocolMajorVersion());
    assertTrue(
        catalog
            .kmsCountedId(Guid.parse("e1c51358-fe3e-4203-a4a2-3b6b20c9734e"))
            .orElseThrow()
            .retail());
  }

  @Test
  void builtIn_everyGroup_isWellFormed() {
    for (HostKeyGroup group : ProductCatalog.builtIn().groups()) {
      assertFalse(group.hostKeys().isEmpty(), group.id());
      assertFalse(group.activates().isEmpty(), group.id());
      assertFalse(group.hostBuilds().isEmpty(), group.id());
    }
  }

  @Test
  void builtIn_server2025Group_hasItsKeysAndBuilds() {
    HostKeyGroup group = ProductCatalog.builtIn().group("windows-server-2025").orElseThrow();

    assertEquals(HostKind.SERVER, group.hostKind());
    assertEquals(List.of(4918, 4919, 4920), group.csvlkGroupIds());
    HostKey customer = group.hostKeys().get(0);
    assertEquals(HostKeyRole.CUSTOMER, customer.role());
    assertEquals(Optional.of(new KeyIdRange(30_000, 20_029_999)), customer.keyIdRange());
    assertEquals(Optional.of(LocalDate.of(2024, 11, 1)), customer.releaseDate());
    assertTrue(group.allowsHostBuild(26100));
    assertFalse(group.allowsHostBuild(9600));
  }

  @Test
  void builtIn_skuAndHostBuild_areFound() {
    ProductCatalog catalog = ProductCatalog.builtIn();

    Sku sku = catalog.sku(Guid.parse("45b5aff2-60a0-42f2-bc4b-ec6e5f7b527e")).orElseThrow();
    assertEquals(Optional.of("QN7G3-4RM92-MT6QR-PR966-FVYV7"), sku.gvlk());
    assertEquals(SERVER_2025_PLACEHOLDER, sku.kmsCountedId());

    assertEquals(3612, catalog.hostBuild(26100).orElseThrow().platformId());
    assertEquals(6401, catalog.hostBuild(9600).orElseThrow().platformId());
    assertEquals(55041, catalog.hostBuild(7601).orElseThrow().platformId());
    assertTrue(catalog.hostBuild(12345).isEmpty());
  }

  @Test
  void findProductByName_aliasOrUniqueSubstring_findsTheProduct() {
    ProductCatalog catalog = ProductCatalog.builtIn();

    assertEquals(WINDOWS_10_VOLUME, catalog.findProductByName("Windows 10").orElseThrow().id());
    assertEquals(WINDOWS_10_VOLUME, catalog.findProductByName("  windows 11 ").orElseThrow().id());
    assertEquals(SERVER_2025, catalog.findProductByName("windows server 2025").orElseThrow().id());
    assertEquals(SERVER_2019, catalog.findProductByName("Server 2019").orElseThrow().id());
    assertEquals("Office LTSC 2021", catalog.findProductByName("office 2021").orElseThrow().name());
  }

  @Test
  void findProductByName_ambiguousOrUnknown_isEmpty() {
    ProductCatalog catalog = ProductCatalog.builtIn();

    assertTrue(catalog.findProductByName("Office").isEmpty());
    assertTrue(catalog.findProductByName("Windows Server 2008").isEmpty());
    assertTrue(catalog.findProductByName("Windows 95").isEmpty());
    assertTrue(catalog.findProductByName(" ").isEmpty());
  }

  @Test
  void load_smallFile_readsItAndDefaultsOptionalFields(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("extra.json");
    Files.writeString(file, SMALL);

    ProductCatalog catalog = ProductCatalog.load(file);

    KmsCountedProduct p = catalog.findProductByName("windows test").orElseThrow();
    assertFalse(p.retail());
    assertEquals(List.of(), p.aliases());
    assertTrue(
        catalog
            .sku(Guid.parse("aaaaaaaa-2222-4333-8444-555555555555"))
            .orElseThrow()
            .gvlk()
            .isEmpty());
    assertTrue(catalog.groups().isEmpty());
  }

  @Test
  void load_truncatedJson_failsNamingTheFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("truncated.json");
    Files.writeString(file, SMALL.substring(0, SMALL.length() / 2));

    CatalogException e = assertThrows(CatalogException.class, () -> ProductCatalog.load(file));

    assertTrue(e.getMessage().startsWith(file.toString() + ": not valid JSON"), e.getMessage());
    assertTrue(e.getMessage().contains("line "), e.getMessage());
    assertTrue(e.getCause() != null);
  }

  @Test
  void load_missingFile_failsWithCause(@TempDir Path dir) {
    Path file = dir.resolve("absent.json");

    CatalogException e = assertThrows(CatalogException.class, () -> ProductCatalog.load(file));

    assertTrue(e.getMessage().contains("absent.json"), e.getMessage());
    assertTrue(e.getCause() instanceof IOException);
  }

  @Test
  void load_badGuid_namesTheEntryAndField() {
    String json =
        SMALL.replace(
            "\"id\": \"11111111-2222-4333-8444-555555555555\"",
            "\"id\": \"11111111-2222-4333-8444-55555555555Z\"");

    CatalogException e = assertThrows(CatalogException.class, () -> parse(json));

    assertTrue(e.getMessage().contains("kmsCountedIds[0]"), e.getMessage());
    assertTrue(
        e.getMessage().contains(".id: not a GUID: '11111111-2222-4333-8444-55555555555Z'"),
        e.getMessage());
  }

  @Test
  void load_unknownApplication_namesTheEntryAndTheReference() {
    String json =
        SMALL.replace(
            "\"applicationId\": \"55c92734-d682-4d71-983e-d6ec3f16059f\"",
            "\"applicationId\": \"0ff1ce15-a989-479d-af46-f275c6370663\"");

    CatalogException e = assertThrows(CatalogException.class, () -> parse(json));

    assertTrue(
        e.getMessage().contains("kmsCountedIds (11111111-2222-4333-8444-555555555555)"),
        e.getMessage());
    assertTrue(
        e.getMessage().contains("application 0ff1ce15-a989-479d-af46-f275c6370663 is not defined"),
        e.getMessage());
  }

  @Test
  void load_policyOutOfRange_namesTheEntry() {
    String json = SMALL.replace("\"requiredClientCount\": 25", "\"requiredClientCount\": 1001");

    CatalogException e = assertThrows(CatalogException.class, () -> parse(json));

    assertTrue(
        e.getMessage().contains("kmsCountedIds[0] (11111111-2222-4333-8444-555555555555)"),
        e.getMessage());
    assertTrue(e.getMessage().contains("requiredClientCount must be 1–1000: 1001"), e.getMessage());
  }

  @Test
  void load_unknownEnumValue_listsTheAllowedOnes() {
    String json = SMALL.replace("\"established\"", "\"certain\"");

    CatalogException e = assertThrows(CatalogException.class, () -> parse(json));

    assertTrue(
        e.getMessage()
            .contains(
                ".guidStatus: must be one of [established, corroborated, synthetic, unidentified-product]"),
        e.getMessage());
  }

  @Test
  void load_wrongFormatOrDuplicateId_fails() {
    assertThrows(
        CatalogException.class, () -> parse(SMALL.replace("kmsj-catalog/1", "kmsj-catalog/2")));
    String twice =
        SMALL.replace(
            "\"applications\": [ {",
            "\"applications\": [ { \"id\": \"55c92734-d682-4d71-983e-d6ec3f16059f\", \"name\": \"Again\" }, {");

    CatalogException e = assertThrows(CatalogException.class, () -> parse(twice));

    assertTrue(
        e.getMessage()
            .contains("applications[1] (55c92734-d682-4d71-983e-d6ec3f16059f): defined twice"),
        e.getMessage());
  }

  @Test
  void load_streamOfBundledResource_equalsBuiltInCounts() throws IOException {
    try (InputStream in = ProductCatalog.class.getResourceAsStream("kms-catalog.json")) {
      assertEquals(ProductCatalog.builtIn().toString(), ProductCatalog.load(in).toString());
    }
  }

  @Test
  void merge_extension_replacesByIdAndAdds() {
    String json =
        SMALL.replace(
            "\"kmsCountedIds\": [ {",
            "\"kmsCountedIds\": [ { \"id\": \"8449b1fb-f0ea-497a-99ab-66ca96e9a0f5\", \"name\": \"Server 2019 renamed\","
                + " \"applicationId\": \"55c92734-d682-4d71-983e-d6ec3f16059f\", \"requiredClientCount\": 7,"
                + " \"protocolMajorVersion\": 6, \"guidStatus\": \"established\" }, {");
    ProductCatalog base = ProductCatalog.builtIn();

    ProductCatalog merged = base.merge(parse(json));

    assertEquals(7, merged.kmsCountedId(SERVER_2019).orElseThrow().requiredClientCount());
    assertEquals("Server 2019 renamed", merged.kmsCountedId(SERVER_2019).orElseThrow().name());
    assertTrue(merged.kmsCountedId(Guid.parse("11111111-2222-4333-8444-555555555555")).isPresent());
    assertEquals(40, merged.kmsCountedIds().size());
    assertEquals(263, merged.skus().size());
    assertEquals(20, merged.groups().size());
    assertEquals(5, base.kmsCountedId(SERVER_2019).orElseThrow().requiredClientCount());
  }
}
