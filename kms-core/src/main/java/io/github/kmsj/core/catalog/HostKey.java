package io.github.kmsj.core.catalog;

import io.github.kmsj.protocol.message.Guid;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * One KMS host key (CSVLK) of a host-key group, with what a host needs to build a plausible ePID
 * for it (docs/PROTOCOL.md §8).
 *
 * @param csvlkId the CSVLK's activation ID
 * @param name a display name
 * @param role what the key is for
 * @param groupId the CSVLK group id, ePID part 2 (0–99999)
 * @param keyIdRange the key ids it may carry, when known
 * @param releaseDate its release date, when known; an ePID's activation date should not precede it
 * @param note a remark from the research, for example a disagreement between sources
 */
public record HostKey(
    Guid csvlkId,
    String name,
    HostKeyRole role,
    int groupId,
    Optional<KeyIdRange> keyIdRange,
    Optional<LocalDate> releaseDate,
    Optional<String> note) {

  /** Checks the components. */
  public HostKey {
    Objects.requireNonNull(csvlkId, "csvlkId");
    CatalogChecks.requireText(name, "name");
    Objects.requireNonNull(role, "role");
    CatalogChecks.requireRange(groupId, 0, 99_999, "groupId");
    Objects.requireNonNull(keyIdRange, "keyIdRange");
    Objects.requireNonNull(releaseDate, "releaseDate");
    Objects.requireNonNull(note, "note");
  }
}
