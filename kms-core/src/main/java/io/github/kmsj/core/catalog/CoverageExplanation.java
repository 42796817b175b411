package io.github.kmsj.core.catalog;

import io.github.kmsj.protocol.message.Guid;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to "does a host holding {@code groupId} activate this product, and why?": the chain
 * group → KMS counted ID → SKU with the source and confidence of each link ({@link
 * ProductCatalog#explain}).
 *
 * @param groupId the host-key group asked about
 * @param kmsCountedId the KMS counted ID the product's clients send
 * @param sku the SKU asked about, when the question named an edition rather than a KMS counted ID
 * @param covered whether a lenient host holding the group answers the product
 * @param acceptedWhenStrict whether a strict host answers it too (false for doubtful GUIDs)
 * @param chain the links, group first; for a refused product only the SKU link, if any
 * @param reason why the group refuses it, when it does
 * @param coveringGroups the groups of the catalog that do activate it, in file order
 */
public record CoverageExplanation(
    String groupId,
    Guid kmsCountedId,
    Optional<Sku> sku,
    boolean covered,
    boolean acceptedWhenStrict,
    List<Link> chain,
    Optional<String> reason,
    List<String> coveringGroups) {

  /**
   * One link of the chain.
   *
   * @param from the group id or KMS counted ID the link starts at
   * @param to the KMS counted ID or SKU ID it reaches
   * @param confidence how sure the link is
   * @param source where the catalog has it from; empty when the catalog records no source
   * @param note the basis of the link, or which host keys it is limited to
   */
  public record Link(
      String from, String to, Confidence confidence, Optional<Source> source, String note) {

    /** Checks that no component is null. */
    public Link {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(confidence, "confidence");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(note, "note");
    }
  }

  /** Checks that no component is null and copies the lists. */
  public CoverageExplanation {
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(kmsCountedId, "kmsCountedId");
    Objects.requireNonNull(sku, "sku");
    chain = List.copyOf(chain);
    Objects.requireNonNull(reason, "reason");
    coveringGroups = List.copyOf(coveringGroups);
  }
}
