package io.github.kmsj.core.host;

import io.github.kmsj.core.catalog.HostBuild;
import io.github.kmsj.core.catalog.HostKeyCoverage;
import io.github.kmsj.core.catalog.HostKeyGroup;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.ledger.HostIdentity;
import io.github.kmsj.protocol.message.Epid;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * Decides a host's identity at start-up from what the store holds and what the embedder gave: a
 * stored identity is kept, completed with an ePID for each newly configured host-key group on the
 * same host build; with none, the given identity is used or a new one generated.
 */
final class IdentityBootstrap {

  /**
   * The identity to run with, and whether it must be journaled.
   *
   * @param identity the identity
   * @param changed whether it differs from the stored one (or nothing was stored)
   */
  record Result(HostIdentity identity, boolean changed) {}

  private final ProductCatalog catalog;
  private final HostKeyCoverage coverage;
  private final EpidGenerator generator;
  private final OptionalInt hostBuild;
  private final int lcid;
  private final LocalDate today;

  IdentityBootstrap(
      ProductCatalog catalog,
      HostKeyCoverage coverage,
      RandomGenerator random,
      OptionalInt hostBuild,
      int lcid,
      LocalDate today) {
    this.catalog = catalog;
    this.coverage = coverage;
    this.generator = new EpidGenerator(catalog, random);
    this.hostBuild = hostBuild;
    this.lcid = lcid;
    this.today = today;
  }

  /**
   * The identity for {@code stored} (what the store holds) and {@code given} (the builder's).
   *
   * @throws IllegalArgumentException if both are present and differ, or a given identity lacks an
   *     ePID for a configured group
   */
  Result resolve(Optional<HostIdentity> stored, Optional<HostIdentity> given) {
    if (stored.isPresent()) {
      if (given.isPresent() && !given.get().equals(stored.get())) {
        throw new IllegalArgumentException(
            "the store already holds a different identity than the one given");
      }
      HostIdentity completed = complete(stored.get());
      return new Result(completed, !completed.equals(stored.get()));
    }
    if (given.isPresent()) {
      for (HostKeyGroup g : coverage.groups()) {
        if (given.get().ePid(g.id()).isEmpty()) {
          throw new IllegalArgumentException(
              "the identity has no ePID for host-key group " + g.id());
        }
      }
      return new Result(given.get(), true);
    }
    return new Result(generator.generate(coverage.groups(), chooseBuild(), lcid, today), true);
  }

  private HostBuild chooseBuild() {
    if (hostBuild.isEmpty()) {
      return generator.chooseBuild(coverage.groups());
    }
    int build = hostBuild.getAsInt();
    return catalog
        .hostBuild(build)
        .orElseThrow(
            () -> new IllegalArgumentException("host build " + build + " is not in the catalog"));
  }

  /** The stored identity with a new ePID for each configured group it lacks. */
  private HostIdentity complete(HostIdentity stored) {
    Map<String, Epid> ePids = new HashMap<>(stored.ePids());
    HostBuild build = null;
    for (HostKeyGroup g : coverage.groups()) {
      if (!ePids.containsKey(g.id())) {
        if (build == null) {
          int storedBuild = stored.ePids().values().stream().findFirst().map(Epid::build).orElse(0);
          build = catalog.hostBuild(storedBuild).orElseGet(this::chooseBuild);
        }
        ePids.put(g.id(), generator.ePid(g, build, lcid, today));
      }
    }
    return ePids.size() == stored.ePids().size() ? stored : new HostIdentity(stored.hwid(), ePids);
  }
}
