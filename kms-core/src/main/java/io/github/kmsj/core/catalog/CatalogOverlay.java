package io.github.kmsj.core.catalog;

import io.github.kmsj.protocol.message.Guid;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code kmsj-overlay/1} file: additions to an existing catalog that need not re-declare what
 * they extend. It may add applications, KMS counted IDs, SKUs, host builds and whole new groups,
 * add coverage edges to an existing group ({@code extendGroups}) and retire edges ({@code retire}).
 * Every reference resolves against the base and the overlay together; an unknown group, product or
 * source is an error naming the nearest valid ones. Immutable.
 *
 * <p>Order of application: new entries, then retirements, then extensions, so that one overlay can
 * replace an edge by retiring it and adding it again.
 */
public final class CatalogOverlay {

  /** Edges and refusals added to the group {@code group} of the base. */
  record GroupExtension(
      String group,
      List<CoverageEntry> activates,
      List<NotedRefusal> doesNotActivate,
      List<Integer> hostBuilds,
      String where) {}

  /** The edge {@code group} → {@code kmsCountedId} removed, and kept as a noted refusal. */
  record Retirement(String group, Guid kmsCountedId, String reason, String where) {}

  private final String origin;
  private final String version;
  private final List<SourceDocument> sources;
  private final List<Application> applications;
  private final List<KmsCountedProduct> products;
  private final List<HostKeyGroup> groups;
  private final List<Sku> skus;
  private final List<HostBuild> hostBuilds;
  private final List<GroupExtension> extensions;
  private final List<Retirement> retirements;

  CatalogOverlay(
      String origin,
      String version,
      List<SourceDocument> sources,
      List<Application> applications,
      List<KmsCountedProduct> products,
      List<HostKeyGroup> groups,
      List<Sku> skus,
      List<HostBuild> hostBuilds,
      List<GroupExtension> extensions,
      List<Retirement> retirements) {
    this.origin = origin;
    this.version = version;
    this.sources = List.copyOf(sources);
    this.applications = List.copyOf(applications);
    this.products = List.copyOf(products);
    this.groups = List.copyOf(groups);
    this.skus = List.copyOf(skus);
    this.hostBuilds = List.copyOf(hostBuilds);
    this.extensions = List.copyOf(extensions);
    this.retirements = List.copyOf(retirements);
  }

  /**
   * Reads an overlay file.
   *
   * @throws CatalogException if the file cannot be read or is not a well-formed overlay
   */
  public static CatalogOverlay load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return CatalogReader.readOverlay(in, file.toString());
    } catch (IOException e) {
      throw new CatalogException(file + ": cannot read: " + e, e);
    }
  }

  /** The overlay's declared version. */
  public String version() {
    return version;
  }

  /**
   * The base with this overlay applied; its version is {@code base+overlay}.
   *
   * @throws CatalogException if a reference does not resolve, an added edge exists already, a
   *     retired edge does not exist, or a new entry's id is taken
   */
  public ProductCatalog applyTo(ProductCatalog base) {
    Objects.requireNonNull(base, "base");
    Map<String, SourceDocument> src = new LinkedHashMap<>(base.sources());
    addNew(src, sources, SourceDocument::ref, "sources");
    Map<Guid, Application> apps = index(base.applications(), Application::id);
    addNew(apps, applications, Application::id, "applications");
    Map<Guid, KmsCountedProduct> prods = index(base.kmsCountedIds(), KmsCountedProduct::id);
    addNew(prods, products, KmsCountedProduct::id, "kmsCountedIds");
    Map<Guid, Sku> sk = index(base.skus(), Sku::skuId);
    addNew(sk, skus, Sku::skuId, "skus");
    Map<Integer, HostBuild> builds = index(base.hostBuilds(), HostBuild::build);
    addNew(builds, hostBuilds, HostBuild::build, "hostBuilds");
    Map<String, HostKeyGroup> grps = index(base.groups(), HostKeyGroup::id);
    addNew(grps, groups, HostKeyGroup::id, "hostKeyGroups");

    for (Retirement r : retirements) {
      HostKeyGroup g = requireGroup(grps, r.group(), r.where());
      List<CoverageEntry> kept = new ArrayList<>(g.activates());
      if (!kept.removeIf(e -> e.kmsCountedId().equals(r.kmsCountedId()))) {
        throw new CatalogException(
            origin
                + ": "
                + r.where()
                + ": group '"
                + g.id()
                + "' does not activate "
                + r.kmsCountedId()
                + ", so it cannot be retired"
                + Nearest.hint(
                    r.kmsCountedId().toString(),
                    g.activates().stream().map(e -> e.kmsCountedId().toString()).toList()));
      }
      List<NotedRefusal> refusals = new ArrayList<>(g.doesNotActivate());
      refusals.removeIf(n -> n.kmsCountedId().equals(r.kmsCountedId()));
      refusals.add(new NotedRefusal(r.kmsCountedId(), r.reason()));
      grps.put(g.id(), with(g, kept, refusals, g.hostBuilds()));
    }
    for (GroupExtension x : extensions) {
      HostKeyGroup g = requireGroup(grps, x.group(), x.where());
      List<CoverageEntry> activates = new ArrayList<>(g.activates());
      for (CoverageEntry e : x.activates()) {
        if (g.coverage(e.kmsCountedId()).isPresent()) {
          throw new CatalogException(
              origin
                  + ": "
                  + x.where()
                  + ": group '"
                  + g.id()
                  + "' already activates "
                  + e.kmsCountedId()
                  + " (retire it first to change the entry)");
        }
        activates.add(e);
      }
      List<NotedRefusal> refusals = new ArrayList<>(g.doesNotActivate());
      refusals.removeIf(
          n -> x.activates().stream().anyMatch(e -> e.kmsCountedId().equals(n.kmsCountedId())));
      refusals.addAll(x.doesNotActivate());
      List<Integer> hb = new ArrayList<>(g.hostBuilds());
      x.hostBuilds().stream().filter(b -> !hb.contains(b)).forEach(hb::add);
      try {
        grps.put(g.id(), with(g, activates, refusals, hb));
      } catch (IllegalArgumentException e) {
        throw new CatalogException(origin + ": " + x.where() + ": " + e.getMessage(), e);
      }
    }
    return ProductCatalog.of(
        base.version() + "+" + version,
        List.copyOf(src.values()),
        List.copyOf(apps.values()),
        List.copyOf(prods.values()),
        List.copyOf(grps.values()),
        List.copyOf(sk.values()),
        List.copyOf(builds.values()),
        origin + " over " + base.version());
  }

  private static HostKeyGroup with(
      HostKeyGroup g,
      List<CoverageEntry> activates,
      List<NotedRefusal> refusals,
      List<Integer> hostBuilds) {
    return new HostKeyGroup(
        g.id(),
        g.name(),
        g.applicationId(),
        g.hostKind(),
        g.hostKeys(),
        hostBuilds,
        g.hostBuildsInferred(),
        activates,
        refusals);
  }

  private HostKeyGroup requireGroup(Map<String, HostKeyGroup> groups, String id, String where) {
    HostKeyGroup g = groups.get(id);
    if (g == null) {
      throw new CatalogException(
          origin
              + ": "
              + where
              + ": unknown host-key group '"
              + id
              + "'"
              + Nearest.hint(id, groups.keySet()));
    }
    return g;
  }

  private <K, V> void addNew(
      Map<K, V> map, List<V> entries, java.util.function.Function<V, K> id, String section) {
    for (int i = 0; i < entries.size(); i++) {
      V v = entries.get(i);
      if (map.putIfAbsent(id.apply(v), v) != null) {
        throw new CatalogException(
            origin
                + ": "
                + section
                + "["
                + i
                + "] ("
                + id.apply(v)
                + "): already defined in the base catalog; an overlay adds, it does not redefine");
      }
    }
  }

  private static <K, V> Map<K, V> index(
      java.util.Collection<V> values, java.util.function.Function<V, K> id) {
    Map<K, V> map = new LinkedHashMap<>();
    values.forEach(v -> map.put(id.apply(v), v));
    return map;
  }

  /** The origin and version. */
  @Override
  public String toString() {
    return "CatalogOverlay[" + origin + ", " + version + "]";
  }
}
