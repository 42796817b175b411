package io.github.kmsj.core.catalog;

import java.util.Objects;

/**
 * An ID that an imported file maps differently from the reference catalog. The import keeps the
 * reference's mapping and reports both, so that a merge never silently overwrites a researched
 * fact.
 *
 * @param entry what the ID is, such as {@code kmsCountedIds 58e2134f-...}
 * @param imported the imported file's facts
 * @param importedSource where they come from (the file and its element or offset)
 * @param existing the reference catalog's facts, which the import keeps
 * @param existingSource the reference catalog (version and digest)
 */
public record ImportConflict(
    String entry, String imported, String importedSource, String existing, String existingSource) {

  /** Checks that no component is null. */
  public ImportConflict {
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(imported, "imported");
    Objects.requireNonNull(importedSource, "importedSource");
    Objects.requireNonNull(existing, "existing");
    Objects.requireNonNull(existingSource, "existingSource");
  }
}
