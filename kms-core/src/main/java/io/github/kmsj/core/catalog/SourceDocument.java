package io.github.kmsj.core.catalog;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A document that coverage facts cite, one entry of a catalog file's {@code sources}: a {@link
 * Source#ref()} must name one.
 *
 * @param ref the key that {@code activates[].source.ref} uses
 * @param title what the document is
 * @param url its address, when it has one
 * @param path the stored copy ({@code owner/repo:path@commit}) or the imported file's name
 * @param sha256 the SHA-256 of an imported file, lower-case hex, when the source is a file
 */
public record SourceDocument(
    String ref,
    String title,
    Optional<String> url,
    Optional<String> path,
    Optional<String> sha256) {

  private static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{64}");

  /** Checks the components and the digest's shape. */
  public SourceDocument {
    CatalogChecks.requireText(ref, "ref");
    CatalogChecks.requireText(title, "title");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(sha256, "sha256");
    sha256.ifPresent(
        h -> {
          if (!HEX_64.matcher(h).matches()) {
            throw new IllegalArgumentException(
                "sha256 must be 64 lower-case hex digits: '" + h + "'");
          }
        });
  }
}
