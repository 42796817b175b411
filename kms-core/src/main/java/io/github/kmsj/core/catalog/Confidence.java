package io.github.kmsj.core.catalog;

/**
 * How sure the research is that a host-key group activates a KMS counted ID ({@code
 * coverage.json}).
 */
public enum Confidence {
  /** Microsoft lists the product for the group and the GUID is established. */
  DOCUMENTED,
  /**
   * Follows from licence extractions, Microsoft's hierarchy rules or analogy, or the GUID is
   * third-party only.
   */
  INFERRED,
  /**
   * The GUID is a synthetic placeholder: a strict host refuses it, a lenient one accepts it for
   * interop.
   */
  DOUBTFUL_GUID
}
