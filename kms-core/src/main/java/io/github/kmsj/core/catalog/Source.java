package io.github.kmsj.core.catalog;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a coverage fact comes from: a document of the catalog's {@code sources} and the place in
 * it.
 *
 * @param ref the key of the document in the catalog file's {@code sources}
 * @param url the document's address, when it has one
 * @param path the stored copy, as {@code owner/repo:path@commit}, when there is one
 * @param row the table row, when the fact is a table cell
 * @param item the item within the row or page
 */
public record Source(
    String ref,
    Optional<String> url,
    Optional<String> path,
    Optional<String> row,
    Optional<String> item) {

  /** Checks that the reference is present and no optional is null. */
  public Source {
    CatalogChecks.requireText(ref, "ref");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(row, "row");
    Objects.requireNonNull(item, "item");
  }
}
