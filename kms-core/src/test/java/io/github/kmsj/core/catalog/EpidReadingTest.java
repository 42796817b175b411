package io.github.kmsj.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.protocol.message.Epid;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link EpidReading} on ePIDs recorded from vlmcsd and py-kms ({@code recorded-epids.json}, with
 * where each came from) and on the ePIDs kmsj hosts generate.
 */
final class EpidReadingTest {
  private static final ProductCatalog CATALOG = ProductCatalog.builtIn();
  private static final LocalDate TODAY = LocalDate.parse("2026-12-01");

  static Stream<JsonNode> recorded() throws IOException {
    try (InputStream in = EpidReadingTest.class.getResourceAsStream("recorded-epids.json")) {
      List<JsonNode> out = new ArrayList<>();
      new ObjectMapper().readTree(in).get("epids").forEach(out::add);
      return out.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("recorded")
  void read_recordedFromPeers_groupsAndFailedChecksAsRecorded(JsonNode vector) {
    EpidReading r = EpidReading.read(CATALOG, vector.get("ePid").asText(), TODAY);
    List<String> groups = new ArrayList<>();
    vector.get("groups").forEach(g -> groups.add(g.asText()));
    List<String> failed = new ArrayList<>();
    vector.get("failedChecks").forEach(g -> failed.add(g.asText()));
    assertEquals(groups, r.groups().stream().map(HostKeyGroup::id).toList(), vector::toString);
    assertEquals(
        failed,
        r.checks().stream().filter(c -> !c.passed()).map(EpidReading.Check::name).toList(),
        r.checks()::toString);
  }

  @Test
  void read_vlmcsdEpid_namesBuildLcidAndWhyTheBuildDoesNotFit() {
    EpidReading r =
        EpidReading.read(CATALOG, "05426-00206-552-966522-03-9226-9200.0000-2712021", TODAY);
    assertEquals(9200, r.build().orElseThrow().build());
    assertEquals(LocalDate.of(2021, 9, 28), r.epid().activationDate());
    EpidReading.Check c =
        r.checks().stream().filter(x -> x.name().equals("buildForGroup")).findFirst().orElseThrow();
    assertFalse(c.passed());
    assertEquals("no matching key installs on build 9200", c.detail());
  }

  @Test
  void read_everyGroupOfAKmsjHost_plausibleAndMappedToItsGroup() {
    for (HostKeyGroup g : CATALOG.groups()) {
      if (g.hostKeys().stream().noneMatch(k -> k.keyIdRange().isPresent())) {
        continue;
      }
      KmsHost host;
      try {
        host =
            KmsHost.builder()
                .hostKeyGroups(List.of(g.id()))
                .random(new SplittableRandom(g.id().hashCode()))
                .clock(Clock.fixed(TODAY.atStartOfDay(ZoneOffset.UTC).toInstant(), ZoneOffset.UTC))
                .build();
      } catch (IllegalArgumentException e) {
        continue; // a group no host build suits on its own
      }
      Epid e = host.identity().ePid(g.id()).orElseThrow();
      EpidReading r = EpidReading.read(CATALOG, e, TODAY);
      assertTrue(r.isPlausible(), g.id() + " " + e + " " + r.checks());
      assertTrue(r.groups().contains(g), g.id() + " " + e + " maps to " + r.groups());
    }
  }

  @Test
  void read_futureDateWrongChannelUnknownGroup_eachFlagged() {
    EpidReading r =
        EpidReading.read(CATALOG, "03612-99999-555-568723-01-1033-17763.0000-3652030", TODAY);
    assertEquals(
        List.of("channel", "groupId", "keyIdRange", "buildForGroup", "activationDate"),
        r.checks().stream().filter(c -> !c.passed()).map(EpidReading.Check::name).toList());
  }

  @Test
  void read_notAnEpid_oneLineErrorNamingTheForm() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> EpidReading.read(CATALOG, "1-2-3", TODAY));
    assertEquals(
        "not an ePID (PPPPP-GGGGG-KKK-KKKKKK-CC-LCID-BUILD.0000-DDDYYYY): 1-2-3", e.getMessage());
  }
}
