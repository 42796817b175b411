package io.github.kmsj.core.catalog;

import io.github.kmsj.protocol.message.Guid;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A host-key group: the CSVLKs sold as one product key (for example {@code windows-server-2025})
 * and the KMS counted IDs they activate (docs/PROTOCOL.md §7.1, §9).
 *
 * @param id the group's identifier, such as {@code windows-server-2025} or {@code office-ltsc-2024}
 * @param name a display name
 * @param applicationId the application whose products it activates
 * @param hostKind server, client or Office key
 * @param hostKeys its CSVLKs
 * @param hostBuilds the Windows builds the key can be installed on
 * @param hostBuildsInferred those of {@code hostBuilds} that Microsoft does not state
 * @param activates the KMS counted IDs it activates; any other ID is refused with {@code
 *     0xC004F042}
 * @param doesNotActivate notable IDs it refuses, with reasons
 */
public record HostKeyGroup(
    String id,
    String name,
    Guid applicationId,
    HostKind hostKind,
    List<HostKey> hostKeys,
    List<Integer> hostBuilds,
    List<Integer> hostBuildsInferred,
    List<CoverageEntry> activates,
    List<NotedRefusal> doesNotActivate) {

  /**
   * Checks the components: no KMS counted ID listed twice, CSVLK restrictions name keys of this
   * group.
   */
  public HostKeyGroup {
    CatalogChecks.requireText(id, "id");
    CatalogChecks.requireText(name, "name");
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(hostKind, "hostKind");
    hostKeys = CatalogChecks.copy(hostKeys, "hostKeys");
    hostBuilds = CatalogChecks.copy(hostBuilds, "hostBuilds");
    hostBuildsInferred = CatalogChecks.copy(hostBuildsInferred, "hostBuildsInferred");
    activates = CatalogChecks.copy(activates, "activates");
    doesNotActivate = CatalogChecks.copy(doesNotActivate, "doesNotActivate");
    Set<Guid> keys = new HashSet<>();
    hostKeys.forEach(k -> keys.add(k.csvlkId()));
    Set<Guid> seen = new HashSet<>();
    for (CoverageEntry entry : activates) {
      if (!seen.add(entry.kmsCountedId())) {
        throw new IllegalArgumentException("activates lists " + entry.kmsCountedId() + " twice");
      }
      for (Guid only : entry.onlyHostKeys()) {
        if (!keys.contains(only)) {
          throw new IllegalArgumentException(
              "activates "
                  + entry.kmsCountedId()
                  + " names CSVLK "
                  + only
                  + ", which is not a key of the group");
        }
      }
    }
  }

  /** The coverage entry for {@code kmsCountedId}, or empty when this group does not activate it. */
  public Optional<CoverageEntry> coverage(Guid kmsCountedId) {
    for (CoverageEntry entry : activates) {
      if (entry.kmsCountedId().equals(kmsCountedId)) {
        return Optional.of(entry);
      }
    }
    return Optional.empty();
  }

  /** The distinct CSVLK group ids (ePID part 2) of its keys, in key order. */
  public List<Integer> csvlkGroupIds() {
    return hostKeys.stream().map(HostKey::groupId).distinct().toList();
  }

  /** Whether the key can be installed on a host running {@code build}. */
  public boolean allowsHostBuild(int build) {
    return hostBuilds.contains(build);
  }
}
