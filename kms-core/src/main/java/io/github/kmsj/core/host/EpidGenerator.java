package io.github.kmsj.core.host;

import io.github.kmsj.core.catalog.HostBuild;
import io.github.kmsj.core.catalog.HostKey;
import io.github.kmsj.core.catalog.HostKeyGroup;
import io.github.kmsj.core.catalog.HostKeyRole;
import io.github.kmsj.core.catalog.KeyIdRange;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.ledger.HostIdentity;
import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.message.Epid;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Makes a consistent ePID for a host-key group (docs/PROTOCOL.md §8): the platform ID matches the
 * host build, the group ID and key ID come from one of the group's customer host keys and its
 * key-ID range, and the activation date lies between the key's (and build's) release and today.
 */
final class EpidGenerator {
  private final ProductCatalog catalog;
  private final RandomGenerator random;

  EpidGenerator(ProductCatalog catalog, RandomGenerator random) {
    this.catalog = catalog;
    this.random = random;
  }

  /**
   * A new identity: one ePID per group, all with the same host build and LCID, and a random HWID.
   */
  HostIdentity generate(List<HostKeyGroup> groups, HostBuild build, int lcid, LocalDate today) {
    Map<String, Epid> ePids = new HashMap<>();
    for (HostKeyGroup group : groups) {
      ePids.put(group.id(), ePid(group, build, lcid, today));
    }
    byte[] hwid = new byte[8];
    random.nextBytes(hwid);
    return new HostIdentity(Bytes.of(hwid), ePids);
  }

  Epid ePid(HostKeyGroup group, HostBuild build, int lcid, LocalDate today) {
    HostKey key =
        group.hostKeys().stream()
            .filter(k -> k.role() == HostKeyRole.CUSTOMER && k.keyIdRange().isPresent())
            .findFirst()
            .or(() -> group.hostKeys().stream().filter(k -> k.keyIdRange().isPresent()).findFirst())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "host-key group " + group.id() + " has no key with a key-ID range"));
    KeyIdRange range = key.keyIdRange().orElseThrow();
    long keyId = range.min() + random.nextLong(range.max() - range.min() + 1);
    LocalDate earliest = build.releaseDate();
    if (key.releaseDate().isPresent() && key.releaseDate().get().isAfter(earliest)) {
      earliest = key.releaseDate().get();
    }
    if (earliest.isAfter(today)) {
      earliest = today;
    }
    long span = ChronoUnit.DAYS.between(earliest, today);
    LocalDate activated = earliest.plusDays(span == 0 ? 0 : random.nextLong(span + 1));
    return new Epid(
        build.platformId(), key.groupId(), (int) keyId, 3, lcid, build.build(), activated);
  }

  /**
   * The host OS build: the newest build usable for ePIDs that the Windows group (or else every
   * group) may be installed on.
   */
  HostBuild chooseBuild(List<HostKeyGroup> groups) {
    List<HostKeyGroup> deciding =
        groups.stream()
            .filter(g -> g.hostKind() != io.github.kmsj.core.catalog.HostKind.OFFICE)
            .toList();
    List<HostKeyGroup> source = deciding.isEmpty() ? groups : deciding;
    return catalog.hostBuilds().stream()
        .filter(HostBuild::useForEpid)
        .filter(b -> source.stream().allMatch(g -> g.allowsHostBuild(b.build())))
        .max(Comparator.comparingInt(HostBuild::build))
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no host build suits the host-key groups "
                        + groups.stream().map(HostKeyGroup::id).toList()));
  }
}
