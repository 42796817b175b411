package io.github.kmsj.core.catalog;

import io.github.kmsj.protocol.message.Guid;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Collects the entries an importer maps and checks each against the reference catalog: a known ID
 * keeps the reference's entry, a differently mapped one is also reported as a conflict.
 */
final class ImportBuilder {
  private final ProductCatalog reference;
  private final String ref;
  private final String fileName;
  private final String sha256;
  private final String referenceLabel;
  private final Map<Guid, Application> applications = new LinkedHashMap<>();
  private final Map<Guid, KmsCountedProduct> products = new LinkedHashMap<>();
  private final Map<Guid, Sku> skus = new LinkedHashMap<>();
  private final Map<Integer, HostBuild> hostBuilds = new LinkedHashMap<>();
  private final Map<String, HostKeyGroup> groups = new LinkedHashMap<>();
  private final Map<String, Integer> unmappedCounts = new LinkedHashMap<>();
  private final List<ImportConflict> conflicts = new ArrayList<>();
  private String title = "";

  ImportBuilder(ProductCatalog reference, String ref, String fileName, String sha256) {
    this.reference = reference;
    this.ref = ref;
    this.fileName = fileName;
    this.sha256 = sha256;
    this.referenceLabel =
        "reference catalog " + reference.version() + " (sha256 " + reference.digest() + ")";
  }

  String ref() {
    return ref;
  }

  String fileName() {
    return fileName;
  }

  ProductCatalog reference() {
    return reference;
  }

  void title(String title) {
    this.title = title;
  }

  /** Notes something the model cannot carry; repeated notes are counted, not repeated. */
  void unmapped(String what) {
    unmappedCounts.merge(what, 1, Integer::sum);
  }

  /** The source of one coverage edge: this file, the CSVLK and the product. */
  Source edgeSource(String csvlk, String product) {
    return new Source(
        ref, Optional.empty(), Optional.of(fileName), Optional.of(csvlk), Optional.of(product));
  }

  void application(Application a) {
    applications.putIfAbsent(a.id(), reference.application(a.id()).orElse(a));
  }

  KmsCountedProduct productById(Guid id) {
    return products.get(id);
  }

  boolean hasProduct(Guid id) {
    return products.containsKey(id);
  }

  void product(KmsCountedProduct p, String where) {
    Optional<KmsCountedProduct> known = reference.kmsCountedId(p.id());
    if (known.isEmpty()) {
      products.putIfAbsent(p.id(), p);
      return;
    }
    KmsCountedProduct k = known.get();
    String mine = productFacts(p);
    String theirs = productFacts(k);
    if (!mine.equals(theirs)) {
      conflicts.add(
          new ImportConflict(
              "kmsCountedIds " + p.id() + " (" + k.name() + ")",
              mine,
              fileName + " " + where,
              theirs,
              referenceLabel));
    }
    reference.application(k.applicationId()).ifPresent(a -> applications.putIfAbsent(a.id(), a));
    products.putIfAbsent(k.id(), k);
  }

  private static String productFacts(KmsCountedProduct p) {
    return "application "
        + p.applicationId()
        + ", N "
        + p.requiredClientCount()
        + ", protocol "
        + p.protocolMajorVersion()
        + (p.retail() ? ", retail" : "")
        + (p.preview() ? ", preview" : "");
  }

  void sku(Sku s, String where) {
    Optional<Sku> known = reference.sku(s.skuId());
    if (known.isEmpty()) {
      skus.putIfAbsent(s.skuId(), s);
      return;
    }
    Sku k = known.get();
    boolean differs =
        !k.kmsCountedId().equals(s.kmsCountedId())
            || (k.gvlk().isPresent() && s.gvlk().isPresent() && !k.gvlk().equals(s.gvlk()));
    if (differs) {
      conflicts.add(
          new ImportConflict(
              "skus " + s.skuId() + " (" + k.name() + ")",
              "KMS counted ID " + s.kmsCountedId() + ", GVLK " + s.gvlk().orElse("none"),
              fileName + " " + where,
              "KMS counted ID " + k.kmsCountedId() + ", GVLK " + k.gvlk().orElse("none"),
              referenceLabel));
    }
    if (!products.containsKey(k.kmsCountedId())) {
      reference.kmsCountedId(k.kmsCountedId()).ifPresent(p -> product(p, where));
    }
    skus.putIfAbsent(k.skuId(), k);
  }

  void hostBuild(HostBuild b, String where) {
    Optional<HostBuild> known = reference.hostBuild(b.build());
    if (known.isPresent() && known.get().platformId() != b.platformId()) {
      conflicts.add(
          new ImportConflict(
              "hostBuilds " + b.build(),
              "platform id " + b.platformId(),
              fileName + " " + where,
              "platform id " + known.get().platformId(),
              referenceLabel));
    }
    hostBuilds.putIfAbsent(b.build(), known.orElse(b));
  }

  Optional<HostBuild> knownHostBuild(int build) {
    return Optional.ofNullable(hostBuilds.get(build)).or(() -> reference.hostBuild(build));
  }

  /** The reference's host key with this CSVLK ID, if any. */
  Optional<HostKey> referenceKey(Guid csvlkId) {
    return reference.groups().stream()
        .flatMap(g -> g.hostKeys().stream())
        .filter(k -> k.csvlkId().equals(csvlkId))
        .findFirst();
  }

  /**
   * A host key as imported, or the reference's when it knows the CSVLK (a conflict if it differs).
   */
  HostKey hostKey(HostKey k, String where) {
    Optional<HostKey> known = referenceKey(k.csvlkId());
    if (known.isEmpty()) {
      return k;
    }
    HostKey r = known.get();
    if (r.groupId() != k.groupId() || !r.keyIdRange().equals(k.keyIdRange())) {
      conflicts.add(
          new ImportConflict(
              "CSVLK " + k.csvlkId() + " (" + r.name() + ")",
              keyFacts(k),
              fileName + " " + where,
              keyFacts(r),
              referenceLabel));
    }
    return r;
  }

  private static String keyFacts(HostKey k) {
    return "group id "
        + k.groupId()
        + ", key ids "
        + k.keyIdRange().map(r -> r.min() + "-" + r.max()).orElse("unknown");
  }

  /** A group id, {@code <ref>-<slug of name>}, unique within this import. */
  String groupId(String name) {
    String slug =
        name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", "-").replaceAll("^-+|-+$", "");
    String id = ref + "-" + (slug.isEmpty() ? "csvlk" : slug);
    String unique = id;
    for (int i = 2; groups.containsKey(unique); i++) {
      unique = id + "-" + i;
    }
    return unique;
  }

  void group(HostKeyGroup g) {
    groups.put(g.id(), g);
  }

  /** The confidence of an edge to {@code kmsCountedId}: doubtful for a name-based placeholder. */
  Confidence edgeConfidence(Guid kmsCountedId) {
    return products.containsKey(kmsCountedId) && products.get(kmsCountedId).isDoubtful()
        ? Confidence.DOUBTFUL_GUID
        : Confidence.INFERRED;
  }

  /** How well a new GUID is established: version 5 marks the peers' synthetic placeholders. */
  static GuidStatus statusOf(Guid id) {
    return id.version() == 5 ? GuidStatus.SYNTHETIC : GuidStatus.CORROBORATED;
  }

  ImportResult build(String version) {
    SourceDocument doc =
        new SourceDocument(
            ref, title, Optional.empty(), Optional.of(fileName), Optional.of(sha256));
    ProductCatalog catalog =
        ProductCatalog.of(
            version + "+sha256:" + sha256.substring(0, 12),
            List.of(doc),
            List.copyOf(applications.values()),
            List.copyOf(products.values()),
            List.copyOf(groups.values()),
            List.copyOf(skus.values()),
            List.copyOf(hostBuilds.values()),
            "import of " + fileName);
    List<String> unmapped = new ArrayList<>();
    unmappedCounts.forEach((what, n) -> unmapped.add(n == 1 ? what : what + " (" + n + " times)"));
    return new ImportResult(catalog, unmapped, conflicts);
  }
}
