package io.github.kmsj.core.catalog;

import io.github.kmsj.protocol.message.Guid;
import java.util.Objects;

/**
 * A licensed application as named by a request's {@code applicationId}: a host keeps one CMID table
 * per application (docs/PROTOCOL.md §9).
 *
 * @param id the application ID
 * @param name a display name
 */
public record Application(Guid id, String name) {

  /** Checks that both components are present and the name is not blank. */
  public Application {
    Objects.requireNonNull(id, "id");
    CatalogChecks.requireText(name, "name");
  }
}
