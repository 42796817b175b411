package io.github.kmsj.core.catalog;

import static io.github.kmsj.core.catalog.ProductCatalogTest.SERVER_2019;
import static io.github.kmsj.core.catalog.ProductCatalogTest.SERVER_2025;
import static io.github.kmsj.core.catalog.ProductCatalogTest.SERVER_2025_PLACEHOLDER;
import static io.github.kmsj.core.catalog.ProductCatalogTest.WINDOWS_10_VOLUME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.protocol.message.Guid;
import java.util.List;
import org.junit.jupiter.api.Test;

final class HostKeyCoverageTest {

  static final Guid OFFICE_2010 = Guid.parse("e85af946-2e25-47b7-83e1-bebcebeac611");
  static final Guid OFFICE_2016 = Guid.parse("85b5f61b-320b-4be3-814a-b76b2bfafc82");
  static final Guid OFFICE_2019 = Guid.parse("617d9eb1-ef36-4f82-86e0-a65ae07b96c6");
  static final Guid OFFICE_LTSC_2021 = Guid.parse("86d50b16-4808-41af-b83b-b338274318b2");
  static final Guid OFFICE_LTSC_2024 = Guid.parse("a8973cb5-bf03-0a4c-9cef-703099645ab3");
  static final Guid OFFICE_2024_PLACEHOLDER = Guid.parse("1b4db7eb-4057-5ddf-91e0-36dec72071f5");
  static final Guid WINDOWS_10_RETAIL = Guid.parse("e1c51358-fe3e-4203-a4a2-3b6b20c9734e");

  private final ProductCatalog catalog = ProductCatalog.builtIn();

  private HostKeyGroup group(String id) {
    return catalog.group(id).orElseThrow();
  }

  @Test
  void server2025Group_windowsClientsAndOlderServers_areActivated() {
    HostKeyGroup group = group("windows-server-2025");

    assertEquals(
        Confidence.DOCUMENTED, group.coverage(WINDOWS_10_VOLUME).orElseThrow().confidence());
    assertEquals(Confidence.DOCUMENTED, group.coverage(SERVER_2019).orElseThrow().confidence());
    assertEquals(Confidence.INFERRED, group.coverage(SERVER_2025).orElseThrow().confidence());
    assertEquals(
        Confidence.DOUBTFUL_GUID,
        group.coverage(SERVER_2025_PLACEHOLDER).orElseThrow().confidence());
    assertEquals("activation-versions", group.coverage(SERVER_2019).orElseThrow().source().ref());
    assertTrue(group.coverage(WINDOWS_10_RETAIL).isEmpty());
  }

  @Test
  void windows10Group_servers_areNotActivated() {
    HostKeyGroup group = group("windows-10");

    assertTrue(group.coverage(WINDOWS_10_VOLUME).isPresent());
    assertTrue(group.coverage(SERVER_2019).isEmpty());
    assertTrue(group.coverage(SERVER_2025).isEmpty());
    assertTrue(
        group.doesNotActivate().stream().anyMatch(r -> r.kmsCountedId().equals(SERVER_2019)));
  }

  @Test
  void officeGroups_olderVersions_areNotActivated() {
    assertTrue(group("office-ltsc-2021").coverage(OFFICE_LTSC_2021).isPresent());
    assertTrue(group("office-ltsc-2021").coverage(OFFICE_2019).isEmpty());
    assertTrue(group("office-ltsc-2021").coverage(OFFICE_2016).isEmpty());
    assertTrue(group("office-ltsc-2024").coverage(OFFICE_LTSC_2021).isEmpty());
  }

  @Test
  void server2012r2Group_windows10_onlyWithTheWindows10Key() {
    CoverageEntry entry = group("windows-server-2012r2").coverage(WINDOWS_10_VOLUME).orElseThrow();

    assertEquals(
        List.of(
            Guid.parse("20e938bb-df44-45ee-bde1-4e4fe7477f37"),
            Guid.parse("9e3fde40-d4b3-4c1d-9bde-32735aa19b39")),
        entry.onlyHostKeys());
  }

  @Test
  void defaults_everyVolumeProduct_hasItsCoveringGroup() {
    HostKeyCoverage coverage = HostKeyCoverage.defaults(catalog);

    assertFalse(coverage.isStrict());
    assertEquals(
        "windows-server-2025", coverage.coveringGroup(WINDOWS_10_VOLUME).orElseThrow().id());
    assertEquals("windows-server-2025", coverage.coveringGroup(SERVER_2019).orElseThrow().id());
    assertEquals("office-2010", coverage.coveringGroup(OFFICE_2010).orElseThrow().id());
    assertEquals("office-2019", coverage.coveringGroup(OFFICE_2019).orElseThrow().id());
    assertEquals("office-ltsc-2024", coverage.coveringGroup(OFFICE_LTSC_2024).orElseThrow().id());
    assertTrue(coverage.coveringGroup(WINDOWS_10_RETAIL).isEmpty());
    assertEquals(7, coverage.groups().size());
  }

  @Test
  void doubtfulGuid_lenient_isAccepted() {
    HostKeyCoverage coverage = HostKeyCoverage.defaults(catalog);

    assertEquals(
        "windows-server-2025", coverage.coveringGroup(SERVER_2025_PLACEHOLDER).orElseThrow().id());
    assertEquals(
        "office-ltsc-2024", coverage.coveringGroup(OFFICE_2024_PLACEHOLDER).orElseThrow().id());
  }

  @Test
  void doubtfulGuid_strict_isRefusedButInferredStays() {
    HostKeyCoverage coverage = HostKeyCoverage.defaults(catalog).withStrict(true);

    assertTrue(coverage.isStrict());
    assertTrue(coverage.coveringGroup(SERVER_2025_PLACEHOLDER).isEmpty());
    assertTrue(coverage.coveringGroup(OFFICE_2024_PLACEHOLDER).isEmpty());
    assertTrue(coverage.covers(SERVER_2025));
    assertEquals(Confidence.INFERRED, coverage.coverage(SERVER_2025).orElseThrow().confidence());
  }

  @Test
  void of_clientKeyHost_refusesServers() {
    HostKeyCoverage coverage = HostKeyCoverage.of(catalog, List.of("windows-10"), false);

    assertTrue(coverage.covers(WINDOWS_10_VOLUME));
    assertFalse(coverage.covers(SERVER_2019));
    assertFalse(coverage.covers(OFFICE_2019));
  }

  @Test
  void of_officeOnlyOrNothing_isAllowed() {
    assertTrue(HostKeyCoverage.of(catalog, List.of("office-2016"), true).covers(OFFICE_2016));
    assertFalse(HostKeyCoverage.of(catalog, List.of(), false).covers(WINDOWS_10_VOLUME));
  }

  @Test
  void of_twoWindowsGroups_isRejectedNamingThem() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                HostKeyCoverage.of(
                    catalog, List.of("windows-server-2025", "office-2019", "windows-10"), false));

    assertTrue(e.getMessage().contains("[windows-server-2025, windows-10]"), e.getMessage());
  }

  @Test
  void of_unknownOrRepeatedGroup_isRejectedNamingIt() {
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> HostKeyCoverage.of(catalog, List.of("windows-server-2030"), false));
    assertTrue(unknown.getMessage().contains("'windows-server-2030'"), unknown.getMessage());

    assertThrows(
        IllegalArgumentException.class,
        () -> HostKeyCoverage.of(catalog, List.of("office-2016", "office-2016"), false));
  }

  @Test
  void of_nonOfficeGroupOfAnotherApplication_isRejected() {
    String json =
        """
        {
          "format": "kmsj-catalog/1",
          "applications": [ { "id": "0ff1ce15-a989-479d-af46-f275c6370663", "name": "Office" } ],
          "hostKeyGroups": [ {
            "id": "odd", "name": "An Office application key that claims to be a server key",
            "applicationId": "0ff1ce15-a989-479d-af46-f275c6370663", "hostKind": "server",
            "hostKeys": [], "hostBuilds": [26100] } ]
        }
        """;
    ProductCatalog odd = ProductCatalogTest.parse(json);

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> HostKeyCoverage.of(odd, List.of("odd"), false));

    assertTrue(e.getMessage().contains("'odd'"), e.getMessage());
  }
}
