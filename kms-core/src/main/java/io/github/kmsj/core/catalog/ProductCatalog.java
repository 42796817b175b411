package io.github.kmsj.core.catalog;

import io.github.kmsj.protocol.message.Guid;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The product catalog: applications, KMS counted IDs, host-key groups with their coverage, SKUs and
 * host builds (docs/PROTOCOL.md §8, §9). Immutable and safe to share between threads.
 *
 * <p>The bundled catalog ({@link #builtIn()}) is generated from the project's research files by
 * {@code tools/catalog/build-catalog.py}; a user can {@link #load(Path) load} a file in the same
 * format and {@link #merge merge} it over the bundled one. The format is described in the package
 * documentation.
 */
public final class ProductCatalog {

  private static final String RESOURCE = "kms-catalog.json";

  private final Map<Guid, Application> applications;
  private final Map<Guid, KmsCountedProduct> products;
  private final Map<String, HostKeyGroup> groups;
  private final List<HostKeyGroup> groupList;
  private final Map<Guid, Sku> skus;
  private final Map<Integer, HostBuild> hostBuilds;
  private final String version;
  private final Map<String, SourceDocument> sources;
  private volatile String digest;

  private ProductCatalog(
      String version,
      Map<String, SourceDocument> sources,
      Map<Guid, Application> applications,
      Map<Guid, KmsCountedProduct> products,
      Map<String, HostKeyGroup> groups,
      Map<Guid, Sku> skus,
      Map<Integer, HostBuild> hostBuilds) {
    this.version = CatalogChecks.requireText(version, "version");
    this.sources = Collections.unmodifiableMap(sources);
    this.applications = Collections.unmodifiableMap(applications);
    this.products = Collections.unmodifiableMap(products);
    this.groups = Collections.unmodifiableMap(groups);
    this.groupList = List.copyOf(groups.values());
    this.skus = Collections.unmodifiableMap(skus);
    this.hostBuilds = Collections.unmodifiableMap(hostBuilds);
  }

  /** The catalog bundled with kmsj, read once on first use. */
  public static ProductCatalog builtIn() {
    return BuiltIn.CATALOG;
  }

  /** Lazy holder: the resource is parsed on the first call of {@link #builtIn()} only. */
  private static final class BuiltIn {
    static final ProductCatalog CATALOG = readResource();

    private static ProductCatalog readResource() {
      try (InputStream in = ProductCatalog.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new CatalogException("the bundled catalog resource " + RESOURCE + " is missing");
        }
        return CatalogReader.read(in, "bundled " + RESOURCE);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Reads a catalog file. A file is self-contained: every application and KMS counted ID that it
   * refers to must be defined in it.
   *
   * @throws CatalogException if the file cannot be read, is not valid JSON or is inconsistent
   */
  public static ProductCatalog load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return CatalogReader.read(in, file.toString());
    } catch (IOException e) {
      throw new CatalogException(file + ": cannot read: " + e, e);
    }
  }

  /**
   * Reads a catalog from a stream, which stays open.
   *
   * @throws CatalogException if the stream is not a valid, consistent catalog
   */
  public static ProductCatalog load(InputStream in) {
    return CatalogReader.read(in, "catalog stream");
  }

  /**
   * Builds and checks a catalog from its entries; the origin names the source in error messages.
   */
  static ProductCatalog of(
      String version,
      List<SourceDocument> sources,
      List<Application> applications,
      List<KmsCountedProduct> products,
      List<HostKeyGroup> groups,
      List<Sku> skus,
      List<HostBuild> hostBuilds,
      String origin) {
    ProductCatalog catalog =
        new ProductCatalog(
            version,
            index(sources, SourceDocument::ref, "sources", origin),
            index(applications, Application::id, "applications", origin),
            index(products, KmsCountedProduct::id, "kmsCountedIds", origin),
            index(groups, HostKeyGroup::id, "hostKeyGroups", origin),
            index(skus, Sku::skuId, "skus", origin),
            index(hostBuilds, HostBuild::build, "hostBuilds", origin));
    catalog.checkReferences(origin);
    return catalog;
  }

  private static <K, V> Map<K, V> index(
      List<V> entries, Function<V, K> id, String section, String origin) {
    Map<K, V> map = new LinkedHashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      V entry = entries.get(i);
      if (map.putIfAbsent(id.apply(entry), entry) != null) {
        throw new CatalogException(
            origin + ": " + section + "[" + i + "] (" + id.apply(entry) + "): defined twice");
      }
    }
    return map;
  }

  private void checkReferences(String origin) {
    for (KmsCountedProduct p : products.values()) {
      requireApplication(p.applicationId(), origin, "kmsCountedIds (" + p.id() + ")");
    }
    for (HostKeyGroup g : groups.values()) {
      String where = "hostKeyGroups (" + g.id() + ")";
      requireApplication(g.applicationId(), origin, where);
      for (CoverageEntry entry : g.activates()) {
        if (!products.containsKey(entry.kmsCountedId())) {
          throw new CatalogException(
              origin
                  + ": "
                  + where
                  + ": activates KMS counted ID "
                  + entry.kmsCountedId()
                  + ", which is not defined in kmsCountedIds"
                  + productHint(entry.kmsCountedId().toString()));
        }
        String ref = entry.source().ref();
        if (!sources.containsKey(ref)) {
          throw new CatalogException(
              origin
                  + ": "
                  + where
                  + ": activates "
                  + entry.kmsCountedId()
                  + " cites source '"
                  + ref
                  + "', which is not defined in sources"
                  + Nearest.hint(ref, sources.keySet()));
        }
      }
    }
    for (Sku s : skus.values()) {
      if (!products.containsKey(s.kmsCountedId())) {
        throw new CatalogException(
            origin
                + ": skus ("
                + s.skuId()
                + "): KMS counted ID "
                + s.kmsCountedId()
                + " is not defined in kmsCountedIds"
                + productHint(s.kmsCountedId().toString()));
      }
    }
  }

  private void requireApplication(Guid id, String origin, String where) {
    if (!applications.containsKey(id)) {
      throw new CatalogException(
          origin
              + ": "
              + where
              + ": application "
              + id
              + " is not defined in applications"
              + Nearest.hint(
                  id.toString(), applications.keySet().stream().map(Guid::toString).toList()));
    }
  }

  /** The nearest KMS counted IDs to a mistyped one, each with its name. */
  String productHint(String query) {
    List<String> near =
        Nearest.to(query, products.keySet().stream().map(Guid::toString).toList()).stream()
            .map(id -> id + " (" + products.get(Guid.parse(id)).name() + ")")
            .toList();
    return near.isEmpty() ? "" : " (nearest: " + String.join(", ", near) + ")";
  }

  /** The nearest group ids to a mistyped one, as {@code " (nearest: a, b, c)"}. */
  String groupHint(String query) {
    return Nearest.hint(query, groups.keySet());
  }

  /**
   * This catalog with the entries of {@code extension} added; an entry with the ID of an existing
   * one replaces it (applications, KMS counted IDs and SKUs by GUID, groups by id, host builds by
   * number).
   *
   * @throws CatalogException if the result is inconsistent
   */
  public ProductCatalog merge(ProductCatalog extension) {
    Objects.requireNonNull(extension, "extension");
    ProductCatalog merged =
        new ProductCatalog(
            version + "+" + extension.version,
            overlay(sources, extension.sources),
            overlay(applications, extension.applications),
            overlay(products, extension.products),
            overlay(groups, extension.groups),
            overlay(skus, extension.skus),
            overlay(hostBuilds, extension.hostBuilds));
    merged.checkReferences("merged catalog");
    return merged;
  }

  private static <K, V> Map<K, V> overlay(Map<K, V> base, Map<K, V> extension) {
    Map<K, V> map = new LinkedHashMap<>(base);
    map.putAll(extension);
    return map;
  }

  /**
   * This catalog extended by a file: a catalog file ({@code kmsj-catalog/1}) is {@link #merge
   * merged}, an overlay ({@code kmsj-overlay/1}) is {@link CatalogOverlay#applyTo applied}.
   *
   * @throws CatalogException if the file cannot be read or the result is inconsistent
   */
  public ProductCatalog extend(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return CatalogReader.extend(this, in, file.toString());
    } catch (IOException e) {
      throw new CatalogException(file + ": cannot read: " + e, e);
    }
  }

  /**
   * The catalog's version as its file declares it ({@code "version"}); {@code "unversioned"} when
   * the file has none, {@code "A+B"} for B merged over A.
   */
  public String version() {
    return version;
  }

  /**
   * The SHA-256 of the catalog's canonical form, 64 lower-case hex digits: equal catalogs have
   * equal digests whatever their file order, formatting, version or documentation fields.
   */
  public String digest() {
    String d = digest;
    if (d == null) {
      d = CatalogWriter.digest(this);
      digest = d;
    }
    return d;
  }

  /** The documents that coverage entries cite, by {@link Source#ref()}. */
  public Map<String, SourceDocument> sources() {
    return sources;
  }

  /** This catalog as a {@code kmsj-catalog/1} file, pretty-printed, readable by {@link #load}. */
  public String toJson() {
    return CatalogWriter.json(this);
  }

  /**
   * Why {@code groupId} does or does not activate {@code product}, a KMS counted ID or a SKU ID,
   * with the source and confidence of every link (group → KMS counted ID → SKU).
   *
   * @throws IllegalArgumentException if the group or the product is unknown; the message names the
   *     nearest valid ones
   */
  public CoverageExplanation explain(String groupId, Guid product) {
    return CoverageQuery.explain(this, groupId, product);
  }

  /** The groups that activate {@code product} (a KMS counted ID or a SKU ID), in file order. */
  public List<HostKeyGroup> groupsCovering(Guid product) {
    return CoverageQuery.covering(this, product);
  }

  /**
   * The product a user means: a KMS counted ID or SKU ID as text, else a KMS counted product by
   * {@link #findProductByName name}, else the one SKU whose name is, starts with or contains the
   * query. Returns the KMS counted ID or SKU ID.
   */
  public Optional<Guid> resolveProduct(String query) {
    return CoverageQuery.resolve(this, query);
  }

  /** Up to three product or SKU names closest to {@code query}, for "no such product" messages. */
  public List<String> nearestNames(String query) {
    List<String> names = new ArrayList<>();
    products.values().forEach(p -> names.add(p.name()));
    skus.values().forEach(s -> names.add(s.name()));
    return Nearest.to(query, names);
  }

  /** Up to three group ids closest to {@code query}, for "no such group" messages. */
  public List<String> nearestGroupIds(String query) {
    return Nearest.to(query, groups.keySet());
  }

  /** The application with this ID. */
  public Optional<Application> application(Guid applicationId) {
    return Optional.ofNullable(applications.get(applicationId));
  }

  /** All applications, in file order. */
  public Collection<Application> applications() {
    return applications.values();
  }

  /** The KMS counted product with this ID. */
  public Optional<KmsCountedProduct> kmsCountedId(Guid kmsCountedId) {
    return Optional.ofNullable(products.get(kmsCountedId));
  }

  /** All KMS counted products, in file order. */
  public Collection<KmsCountedProduct> kmsCountedIds() {
    return products.values();
  }

  /** The SKU with this activation ID. */
  public Optional<Sku> sku(Guid skuId) {
    return Optional.ofNullable(skus.get(skuId));
  }

  /** All SKUs, in file order. */
  public Collection<Sku> skus() {
    return skus.values();
  }

  /** The host-key group with this id, such as {@code windows-server-2025}. */
  public Optional<HostKeyGroup> group(String id) {
    return Optional.ofNullable(groups.get(id));
  }

  /** All host-key groups, in file order. */
  public List<HostKeyGroup> groups() {
    return groupList;
  }

  /** The host build with this build number. */
  public Optional<HostBuild> hostBuild(int build) {
    return Optional.ofNullable(hostBuilds.get(build));
  }

  /** All host builds, in file order. */
  public Collection<HostBuild> hostBuilds() {
    return hostBuilds.values();
  }

  /**
   * The KMS counted product a user means by {@code query}, for a command line such as {@code
   * --product "Windows 10"}. Case is ignored. Tried in turn, the first step with exactly one
   * product wins: the exact name, an exact alias, a name or alias starting with the query, a name
   * or alias containing it. Empty when no step gives exactly one product (no match, or ambiguous).
   */
  public Optional<KmsCountedProduct> findProductByName(String query) {
    String q = query.strip().toLowerCase(Locale.ROOT);
    if (q.isEmpty()) {
      return Optional.empty();
    }
    List<Predicate<String>> nameSteps =
        List.of(q::equals, s -> false, s -> s.startsWith(q), s -> s.contains(q));
    List<Predicate<String>> aliasSteps =
        List.of(s -> false, q::equals, s -> s.startsWith(q), s -> s.contains(q));
    for (int step = 0; step < nameSteps.size(); step++) {
      List<KmsCountedProduct> found = new ArrayList<>();
      for (KmsCountedProduct p : products.values()) {
        if (nameSteps.get(step).test(p.name().toLowerCase(Locale.ROOT))
            || p.aliases().stream()
                .map(a -> a.toLowerCase(Locale.ROOT))
                .anyMatch(aliasSteps.get(step))) {
          found.add(p);
        }
      }
      if (found.size() == 1) {
        return Optional.of(found.get(0));
      }
      if (found.size() > 1) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** A summary with the version and the number of entries in each section. */
  @Override
  public String toString() {
    return "ProductCatalog["
        + version
        + ", "
        + applications.size()
        + " applications, "
        + products.size()
        + " KMS counted IDs, "
        + groups.size()
        + " groups, "
        + skus.size()
        + " SKUs, "
        + hostBuilds.size()
        + " host builds]";
  }
}
