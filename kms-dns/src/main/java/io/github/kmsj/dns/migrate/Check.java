package io.github.kmsj.dns.migrate;

import java.util.List;
import java.util.Objects;

/**
 * One check of a {@link MigrationReport}, with its evidence.
 *
 * @param id a stable identifier, such as {@code coverage} or {@code dns.records}
 * @param status the verdict
 * @param summary one line saying what was found
 * @param details the evidence, one line each
 */
public record Check(String id, CheckStatus status, String summary, List<String> details) {
  /** Checks nulls and copies the list. */
  public Check {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(summary, "summary");
    details = List.copyOf(details);
  }
}
