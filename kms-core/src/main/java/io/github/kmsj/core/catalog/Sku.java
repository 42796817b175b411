package io.github.kmsj.core.catalog;

import io.github.kmsj.protocol.message.Guid;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An edition's activation ID ({@code skuId}) with its GVLK. A host does not need it to decide; it
 * is for logging and display (docs/PROTOCOL.md §9).
 *
 * @param skuId the activation ID
 * @param name the edition name
 * @param kmsCountedId the KMS counted ID its clients send
 * @param gvlk the generic volume licence key, when known, as {@code XXXXX-XXXXX-XXXXX-XXXXX-XXXXX}
 */
public record Sku(Guid skuId, String name, Guid kmsCountedId, Optional<String> gvlk) {

  private static final Pattern GVLK = Pattern.compile("[0-9A-Z]{5}(-[0-9A-Z]{5}){4}");

  /** Checks the components and the GVLK's shape. */
  public Sku {
    Objects.requireNonNull(skuId, "skuId");
    CatalogChecks.requireText(name, "name");
    Objects.requireNonNull(kmsCountedId, "kmsCountedId");
    Objects.requireNonNull(gvlk, "gvlk");
    gvlk.ifPresent(
        key -> {
          if (!GVLK.matcher(key).matches()) {
            throw new IllegalArgumentException(
                "gvlk must be five groups of five characters: '" + key + "'");
          }
        });
  }
}
