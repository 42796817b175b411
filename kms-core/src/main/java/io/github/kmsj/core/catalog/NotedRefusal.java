package io.github.kmsj.core.catalog;

import io.github.kmsj.protocol.message.Guid;
import java.util.Objects;

/**
 * A KMS counted ID that a group notably does not activate, with the reason; any ID not in the
 * group's {@code activates} is refused too, these are only the ones worth explaining.
 *
 * @param kmsCountedId the refused ID
 * @param reason why the group refuses it
 */
public record NotedRefusal(Guid kmsCountedId, String reason) {

  /** Checks the components. */
  public NotedRefusal {
    Objects.requireNonNull(kmsCountedId, "kmsCountedId");
    CatalogChecks.requireText(reason, "reason");
  }
}
