package io.github.kmsj.core.catalog;

import io.github.kmsj.protocol.message.Guid;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/** The catalog queries behind {@link ProductCatalog#explain} and its neighbours. */
final class CoverageQuery {
  private CoverageQuery() {}

  static CoverageExplanation explain(ProductCatalog c, String groupId, Guid product) {
    HostKeyGroup group =
        c.group(groupId)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown host-key group: '" + groupId + "'" + c.groupHint(groupId)));
    Optional<Sku> sku = c.sku(product);
    Guid kmsId = sku.map(Sku::kmsCountedId).orElse(product);
    KmsCountedProduct p =
        c.kmsCountedId(kmsId)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown product: "
                            + product
                            + " is neither a KMS counted ID nor a SKU ID of the catalog"
                            + c.productHint(product.toString())));
    List<CoverageExplanation.Link> chain = new ArrayList<>();
    Optional<CoverageEntry> entry = group.coverage(kmsId);
    entry.ifPresent(
        e ->
            chain.add(
                new CoverageExplanation.Link(
                    group.id(),
                    kmsId.toString(),
                    e.confidence(),
                    Optional.of(e.source()),
                    edgeNote(group, e))));
    sku.ifPresent(
        s ->
            chain.add(
                new CoverageExplanation.Link(
                    kmsId.toString(),
                    s.skuId().toString(),
                    confidenceOf(p.guidStatus()),
                    Optional.empty(),
                    "the SKU '"
                        + s.name()
                        + "' sends KMS counted ID "
                        + kmsId
                        + " ("
                        + p.name()
                        + "); from the catalog's skus table, which cites no source per SKU;"
                        + " GUID status "
                        + CatalogReader.jsonName(p.guidStatus()))));
    Optional<String> reason = Optional.empty();
    if (entry.isEmpty()) {
      reason =
          Optional.of(
              group.doesNotActivate().stream()
                  .filter(r -> r.kmsCountedId().equals(kmsId))
                  .map(NotedRefusal::reason)
                  .findFirst()
                  .orElse(
                      "not in the activates list of "
                          + group.id()
                          + ": a host holding it refuses "
                          + p.name()
                          + " with 0xC004F042"));
    }
    return new CoverageExplanation(
        group.id(),
        kmsId,
        sku,
        entry.isPresent(),
        entry.map(CoverageEntry::isAcceptedWhenStrict).orElse(false),
        chain,
        reason,
        covering(c, kmsId).stream().map(HostKeyGroup::id).toList());
  }

  private static String edgeNote(HostKeyGroup group, CoverageEntry e) {
    String note = e.basis().orElse("listed as '" + e.name() + "'");
    if (!e.onlyHostKeys().isEmpty()) {
      List<String> names =
          group.hostKeys().stream()
              .filter(k -> e.onlyHostKeys().contains(k.csvlkId()))
              .map(HostKey::name)
              .toList();
      note += "; only with the host key(s) " + String.join(", ", names);
    }
    return note;
  }

  private static Confidence confidenceOf(GuidStatus status) {
    switch (status) {
      case ESTABLISHED:
        return Confidence.DOCUMENTED;
      case SYNTHETIC:
        return Confidence.DOUBTFUL_GUID;
      default:
        return Confidence.INFERRED;
    }
  }

  static List<HostKeyGroup> covering(ProductCatalog c, Guid product) {
    Guid kmsId = c.sku(product).map(Sku::kmsCountedId).orElse(product);
    return c.groups().stream().filter(g -> g.coverage(kmsId).isPresent()).toList();
  }

  static Optional<Guid> resolve(ProductCatalog c, String query) {
    String q = query.strip();
    if (q.length() == 36 && q.charAt(8) == '-') {
      try {
        Guid g = Guid.parse(q);
        return c.kmsCountedId(g).isPresent() || c.sku(g).isPresent()
            ? Optional.of(g)
            : Optional.empty();
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    Optional<KmsCountedProduct> p = c.findProductByName(q);
    if (p.isPresent()) {
      return Optional.of(p.get().id());
    }
    String lower = q.toLowerCase(Locale.ROOT);
    List<Predicate<String>> steps =
        List.of(lower::equals, s -> s.startsWith(lower), s -> s.contains(lower));
    for (Predicate<String> step : steps) {
      List<Sku> found =
          c.skus().stream().filter(s -> step.test(s.name().toLowerCase(Locale.ROOT))).toList();
      if (found.size() == 1) {
        return Optional.of(found.get(0).skuId());
      }
      if (found.size() > 1) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
