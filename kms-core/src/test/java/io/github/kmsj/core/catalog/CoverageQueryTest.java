package io.github.kmsj.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.protocol.message.Guid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link ProductCatalog#explain} and {@link ProductCatalog#groupsCovering} on cases taken from the
 * built-in catalog's coverage sources (coverage.json: the Microsoft activation-versions table,
 * Table 7 and the Office KMS host pages) and its noted refusals.
 */
final class CoverageQueryTest {
  private static final ProductCatalog CATALOG = ProductCatalog.builtIn();

  @ParameterizedTest(name = "{0} -> {1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "windows-server-2022|b74263e4-0f92-46c6-bcf8-c11d5efe2959|true|DOCUMENTED|activation-versions",
        "windows-server-2022|10a7e9fb-ca8c-5352-88f5-91b8dbe13b22|true|DOUBTFUL_GUID|activation-versions",
        "windows-server-2022|8449b1fb-f0ea-497a-99ab-66ca96e9a0f5|true|DOCUMENTED|activation-versions",
        "windows-server-2022|907f1f65-adcd-4a2e-95bc-4bf500bc6e58|false||",
        "windows-server-2022|4b83307d-7788-50ff-8d1f-1861915bdb9d|false||",
        "windows-server-2019|8449b1fb-f0ea-497a-99ab-66ca96e9a0f5|true|DOCUMENTED|activation-versions",
        "windows-server-2019|6e9fc069-257d-4bc4-b4a7-750514d32743|true|DOCUMENTED|activation-versions",
        "windows-server-2019|8456efd3-0c04-4089-8740-5b7238535a65|true|DOCUMENTED|activation-versions",
        "windows-server-2019|b74263e4-0f92-46c6-bcf8-c11d5efe2959|false||",
        "windows-server-2019|10a7e9fb-ca8c-5352-88f5-91b8dbe13b22|false||",
        "windows-10|58e2134f-8e11-4d17-9cb2-91069c151148|true|DOCUMENTED|activation-versions",
        "windows-10|cb8fc780-2c05-495a-9710-85afffc904d7|true|DOCUMENTED|activation-versions",
        "windows-10|7fde5219-fbfa-484a-82c9-34d1ad53e856|true|DOCUMENTED|activation-versions",
        "windows-10|8449b1fb-f0ea-497a-99ab-66ca96e9a0f5|false||",
        "windows-10|6e9fc069-257d-4bc4-b4a7-750514d32743|false||",
        "office-ltsc-2021|86d50b16-4808-41af-b83b-b338274318b2|true|DOCUMENTED|office-kms-host",
        "office-ltsc-2021|617d9eb1-ef36-4f82-86e0-a65ae07b96c6|false||",
        "office-ltsc-2021|85b5f61b-320b-4be3-814a-b76b2bfafc82|false||",
        "windows-server-2012r2|8456efd3-0c04-4089-8740-5b7238535a65|true|DOCUMENTED|table7",
        "windows-server-2012r2|8665cb71-468c-4aa3-a337-cb9bc9d5eaac|true|DOCUMENTED|table7",
        "windows-server-2012r2|0fc6ccaf-ff0e-4fae-9d08-4370785bf7ed|true|DOCUMENTED|table7",
        "windows-server-2012r2|6e9fc069-257d-4bc4-b4a7-750514d32743|false||",
        "windows-server-2012r2|969fe3c0-a3ec-491a-9f25-423605deb365|false||",
        "office-2016|85b5f61b-320b-4be3-814a-b76b2bfafc82|true|DOCUMENTED|office-kms-host",
        "office-2016|e6a6f1bf-9d40-40c3-aa9f-c77ba21578c0|false||",
        "office-2016|617d9eb1-ef36-4f82-86e0-a65ae07b96c6|false||",
      })
  void explain_casesFromTheCoverageSources(
      String group, String product, boolean covered, Confidence confidence, String ref) {
    Guid id = Guid.parse(product);
    CoverageExplanation x = CATALOG.explain(group, id);
    assertEquals(covered, x.covered(), x.toString());
    assertEquals(id, x.kmsCountedId());
    assertEquals(covered, CATALOG.groupsCovering(id).stream().anyMatch(g -> g.id().equals(group)));
    assertEquals(
        x.coveringGroups(), CATALOG.groupsCovering(id).stream().map(HostKeyGroup::id).toList());
    if (covered) {
      CoverageExplanation.Link edge = x.chain().get(0);
      assertEquals(group, edge.from());
      assertEquals(product, edge.to());
      assertEquals(confidence, edge.confidence());
      assertEquals(ref, edge.source().orElseThrow().ref());
      assertTrue(CATALOG.sources().containsKey(ref));
      assertTrue(x.reason().isEmpty());
      assertEquals(confidence != Confidence.DOUBTFUL_GUID, x.acceptedWhenStrict());
    } else {
      assertTrue(x.chain().isEmpty(), x.chain().toString());
      assertFalse(x.reason().orElseThrow().isBlank());
      assertFalse(x.acceptedWhenStrict());
    }
  }

  @Test
  void explain_sku_addsTheSkuLinkAfterTheEdge() {
    Guid ltsc =
        Guid.parse("32d2fab3-e4a8-42c2-923b-4bf4fd13e6ee"); // Windows 10 Enterprise LTSC 2019/2021
    CoverageExplanation x = CATALOG.explain("windows-server-2022", ltsc);
    assertTrue(x.covered());
    assertEquals(Guid.parse("11b15659-e603-4cf1-9c1f-f0ec01b81888"), x.kmsCountedId());
    assertEquals(2, x.chain().size());
    assertEquals(ltsc.toString(), x.chain().get(1).to());
    assertEquals(Confidence.DOCUMENTED, x.chain().get(1).confidence());
    assertEquals(
        CATALOG.resolveProduct("Windows 10 Enterprise LTSC 2019/2021 N").orElseThrow(),
        Guid.parse("7103a333-b8c8-49cc-93ce-d37c09687f92"));
  }

  @Test
  void explain_unknownGroupOrProduct_namesTheNearest() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                CATALOG.explain(
                    "windows-server-2023", Guid.parse("58e2134f-8e11-4d17-9cb2-91069c151148")));
    assertTrue(e.getMessage().contains("nearest: windows-server-202"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                CATALOG.explain("windows-10", Guid.parse("58e2134f-8e11-4d17-9cb2-91069c151149")));
    assertTrue(e.getMessage().contains("58e2134f-8e11-4d17-9cb2-91069c151148"), e.getMessage());
  }

  @Test
  void hostKeyCoverage_unknownGroup_namesTheNearest() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> HostKeyCoverage.of(CATALOG, java.util.List.of("office-ltsc-2022"), false));
    assertTrue(e.getMessage().startsWith("unknown host-key group: 'office-ltsc-2022' (nearest: "));
    assertTrue(e.getMessage().contains("office-ltsc-2021"), e.getMessage());
  }
}
