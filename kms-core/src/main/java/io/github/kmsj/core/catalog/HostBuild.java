package io.github.kmsj.core.catalog;

import java.time.LocalDate;
import java.util.Objects;

/**
 * A Windows build a KMS host can run, with the platform id it puts in ePID part 1 (docs/PROTOCOL.md
 * §8).
 *
 * @param build the OS build number (ePID part 7)
 * @param name a display name
 * @param platformId the ePID platform id, 0–99999 (printed zero-padded to 5 digits)
 * @param releaseDate when the build was released
 * @param useForEpid whether real hosts run it, so that a random ePID may name it
 * @param mayBeServer whether a server edition has this build
 * @param usesNdr64 whether a genuine host of this build accepts NDR64
 */
public record HostBuild(
    int build,
    String name,
    int platformId,
    LocalDate releaseDate,
    boolean useForEpid,
    boolean mayBeServer,
    boolean usesNdr64) {

  /** Checks the components. */
  public HostBuild {
    CatalogChecks.requireRange(build, 1, 99_999, "build");
    CatalogChecks.requireText(name, "name");
    CatalogChecks.requireRange(platformId, 0, 99_999, "platformId");
    Objects.requireNonNull(releaseDate, "releaseDate");
  }
}
