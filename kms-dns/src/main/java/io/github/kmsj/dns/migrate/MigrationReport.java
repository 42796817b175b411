package io.github.kmsj.dns.migrate;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link MigrationCheck#run()} found: every check in the order run, and how long it took.
 *
 * @param checks the checks
 * @param elapsed the wall time of the whole run
 * @param coverageElapsed the wall time of the coverage matrix (both hosts, concurrently)
 */
public record MigrationReport(List<Check> checks, Duration elapsed, Duration coverageElapsed) {
  /** Copies the list. */
  public MigrationReport {
    checks = List.copyOf(checks);
    Objects.requireNonNull(elapsed, "elapsed");
    Objects.requireNonNull(coverageElapsed, "coverageElapsed");
  }

  /** Whether no check failed. */
  public boolean passed() {
    return checks.stream().noneMatch(c -> c.status() == CheckStatus.FAIL);
  }

  /** The check with {@code id}, if it ran. */
  public Optional<Check> check(String id) {
    return checks.stream().filter(c -> c.id().equals(id)).findFirst();
  }

  /** How many checks have {@code status}. */
  public long count(CheckStatus status) {
    return checks.stream().filter(c -> c.status() == status).count();
  }
}
