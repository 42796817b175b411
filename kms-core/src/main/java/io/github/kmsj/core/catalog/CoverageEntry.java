package io.github.kmsj.core.catalog;

import io.github.kmsj.protocol.message.Guid;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One KMS counted ID that a host-key group activates, with the confidence and the source of that
 * fact.
 *
 * @param kmsCountedId the KMS counted ID
 * @param name the product as the source names it
 * @param confidence how sure the fact is
 * @param source where it comes from
 * @param onlyHostKeys the CSVLKs of the group that cover it; empty means every customer key of the
 *     group
 * @param basis why, for an inferred or doubtful entry
 */
public record CoverageEntry(
    Guid kmsCountedId,
    String name,
    Confidence confidence,
    Source source,
    List<Guid> onlyHostKeys,
    Optional<String> basis) {

  /** Checks the components. */
  public CoverageEntry {
    Objects.requireNonNull(kmsCountedId, "kmsCountedId");
    CatalogChecks.requireText(name, "name");
    Objects.requireNonNull(confidence, "confidence");
    Objects.requireNonNull(source, "source");
    onlyHostKeys = CatalogChecks.copy(onlyHostKeys, "onlyHostKeys");
    Objects.requireNonNull(basis, "basis");
  }

  /** Whether a host in strict mode accepts this entry (every entry but a doubtful GUID). */
  public boolean isAcceptedWhenStrict() {
    return confidence != Confidence.DOUBTFUL_GUID;
  }
}
