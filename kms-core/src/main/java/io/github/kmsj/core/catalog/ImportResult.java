package io.github.kmsj.core.catalog;

import java.util.List;
import java.util.Objects;

/**
 * A peer database converted to a kmsj catalog ({@link CatalogImport}).
 *
 * @param catalog the self-contained catalog; {@link ProductCatalog#toJson()} writes it
 * @param unmapped what the input holds that kmsj's model cannot carry, one line each
 * @param conflicts IDs the input maps differently from the reference catalog
 */
public record ImportResult(
    ProductCatalog catalog, List<String> unmapped, List<ImportConflict> conflicts) {

  /** Copies the lists. */
  public ImportResult {
    Objects.requireNonNull(catalog, "catalog");
    unmapped = List.copyOf(unmapped);
    conflicts = List.copyOf(conflicts);
  }
}
