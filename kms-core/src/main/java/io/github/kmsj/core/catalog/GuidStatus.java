package io.github.kmsj.core.catalog;

/**
 * How well a KMS counted ID is established as the GUID a real client sends ({@code coverage.json}).
 */
public enum GuidStatus {
  /** Named by Microsoft-derived data and by the peer databases. */
  ESTABLISHED,
  /** Known only from third-party extractions, but from more than one source. */
  CORROBORATED,
  /**
   * A made-up placeholder (RFC 4122 version 5) from a peer database; a real client probably never
   * sends it.
   */
  SYNTHETIC,
  /** A real ID in licence lists whose product is unknown. */
  UNIDENTIFIED_PRODUCT;

  /** Whether a strict host should distrust this ID. */
  public boolean isDoubtful() {
    return this == SYNTHETIC;
  }
}
