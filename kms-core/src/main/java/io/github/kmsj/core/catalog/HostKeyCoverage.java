package io.github.kmsj.core.catalog;

import io.github.kmsj.protocol.message.Guid;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The host keys a KMS host holds and the KMS counted IDs they let it answer: at most one Windows
 * host-key group plus any number of Office groups, as on a genuine host (docs/PROTOCOL.md §7.1). A
 * request whose ID no group covers is refused with {@code 0xC004F042}. Immutable; lookups are O(1).
 *
 * <p>In strict mode entries of confidence {@link Confidence#DOUBTFUL_GUID} (synthetic placeholders
 * from peer databases) are refused; in lenient mode, the default, they are accepted so that clients
 * driven by the py-kms database still activate.
 */
public final class HostKeyCoverage {

  /**
   * The groups of {@link #defaults(ProductCatalog)}: the newest Windows Server key, which covers
   * every volume Windows product, and every Office key.
   */
  public static final List<String> DEFAULT_GROUP_IDS =
      List.of(
          "windows-server-2025",
          "office-2010",
          "office-2013",
          "office-2016",
          "office-2019",
          "office-ltsc-2021",
          "office-ltsc-2024");

  private static final Guid WINDOWS = Guid.parse("55c92734-d682-4d71-983e-d6ec3f16059f");

  private final List<HostKeyGroup> groups;
  private final boolean strict;
  private final Map<Guid, Covered> covered;

  /** A group and its entry for one KMS counted ID. */
  private record Covered(HostKeyGroup group, CoverageEntry entry) {}

  private HostKeyCoverage(List<HostKeyGroup> groups, boolean strict) {
    this.groups = List.copyOf(groups);
    this.strict = strict;
    Map<Guid, Covered> map = new HashMap<>();
    for (HostKeyGroup group : groups) {
      for (CoverageEntry entry : group.activates()) {
        if (!strict || entry.isAcceptedWhenStrict()) {
          // Groups do not overlap in the built-in data; should a custom catalog make them, the
          // first wins.
          map.putIfAbsent(entry.kmsCountedId(), new Covered(group, entry));
        }
      }
    }
    this.covered = Map.copyOf(map);
  }

  /** The default lenient host: {@link #DEFAULT_GROUP_IDS} of {@code catalog}. */
  public static HostKeyCoverage defaults(ProductCatalog catalog) {
    return of(catalog, DEFAULT_GROUP_IDS, false);
  }

  /**
   * A host holding the groups {@code groupIds} of {@code catalog}.
   *
   * @throws IllegalArgumentException if a group id is unknown or repeated, if more than one group
   *     belongs to the Windows application, or if a non-Windows group is not an Office key
   */
  public static HostKeyCoverage of(
      ProductCatalog catalog, Collection<String> groupIds, boolean strict) {
    Objects.requireNonNull(catalog, "catalog");
    List<HostKeyGroup> groups = new ArrayList<>();
    List<String> windows = new ArrayList<>();
    for (String id : new LinkedHashSet<>(groupIds)) {
      HostKeyGroup group =
          catalog
              .group(id)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "unknown host-key group: '" + id + "'" + catalog.groupHint(id)));
      if (group.applicationId().equals(WINDOWS)) {
        windows.add(id);
      } else if (group.hostKind() != HostKind.OFFICE) {
        throw new IllegalArgumentException(
            "host-key group '"
                + id
                + "' is neither a Windows key nor an Office key: "
                + group.hostKind());
      }
      groups.add(group);
    }
    if (groupIds.size() != groups.size()) {
      throw new IllegalArgumentException("a host-key group is listed twice: " + groupIds);
    }
    if (windows.size() > 1) {
      throw new IllegalArgumentException(
          "a host holds at most one Windows host key, not " + windows);
    }
    return new HostKeyCoverage(groups, strict);
  }

  /** This host with strict mode set to {@code strict}. */
  public HostKeyCoverage withStrict(boolean strict) {
    return strict == this.strict ? this : new HostKeyCoverage(groups, strict);
  }

  /** Whether doubtful GUIDs are refused. */
  public boolean isStrict() {
    return strict;
  }

  /** The configured groups, in configuration order. */
  public List<HostKeyGroup> groups() {
    return groups;
  }

  /**
   * The configured group that activates {@code kmsCountedId}, or empty when the host must refuse
   * it.
   */
  public Optional<HostKeyGroup> coveringGroup(Guid kmsCountedId) {
    Covered c = covered.get(kmsCountedId);
    return c == null ? Optional.empty() : Optional.of(c.group());
  }

  /**
   * The coverage entry under which {@code kmsCountedId} is activated, or empty when it is refused.
   */
  public Optional<CoverageEntry> coverage(Guid kmsCountedId) {
    Covered c = covered.get(kmsCountedId);
    return c == null ? Optional.empty() : Optional.of(c.entry());
  }

  /** Whether the host answers requests for {@code kmsCountedId}. */
  public boolean covers(Guid kmsCountedId) {
    return covered.containsKey(kmsCountedId);
  }

  /** The configured group ids and the mode. */
  @Override
  public String toString() {
    return "HostKeyCoverage"
        + groups.stream().map(HostKeyGroup::id).toList()
        + (strict ? " strict" : " lenient");
  }
}
