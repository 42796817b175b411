package io.github.kmsj.core.catalog;

import io.github.kmsj.protocol.message.Guid;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What changed from one catalog to another: entries added, removed and changed in every section,
 * and coverage edges (group → KMS counted ID) on their own, so that an overlay that adds one
 * product to a group shows as exactly one added edge.
 *
 * @param from the old catalog's version and digest
 * @param to the new catalog's version and digest
 * @param changes the differences, section by section, in the new catalog's order
 */
public record CatalogDiff(String from, String to, List<Change> changes) {

  /** Whether an entry appeared, disappeared or differs. */
  public enum Kind {
    /** Only in the new catalog. */
    ADDED,
    /** Only in the old catalog. */
    REMOVED,
    /** In both, with different facts. */
    CHANGED
  }

  /**
   * One difference.
   *
   * @param kind added, removed or changed
   * @param section {@code applications}, {@code kmsCountedIds}, {@code skus}, {@code hostBuilds},
   *     {@code hostKeyGroups} (a group's own facts), {@code coverage} (an edge) or {@code sources}
   * @param key the entry's id; {@code group -> kmsCountedId} for an edge
   * @param detail the entry's name, or for a change the fields that differ as {@code field: old →
   *     new}
   */
  public record Change(Kind kind, String section, String key, String detail) {

    /** Checks that no component is null. */
    public Change {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(section, "section");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /** Copies the list. */
  public CatalogDiff {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    changes = List.copyOf(changes);
  }

  /** The differences from {@code a} to {@code b}. */
  public static CatalogDiff between(ProductCatalog a, ProductCatalog b) {
    List<Change> out = new ArrayList<>();
    compare(
        out,
        "sources",
        a.sources().values(),
        b.sources().values(),
        SourceDocument::ref,
        SourceDocument::title);
    compare(
        out,
        "applications",
        a.applications(),
        b.applications(),
        x -> x.id().toString(),
        Application::name);
    compare(
        out,
        "kmsCountedIds",
        a.kmsCountedIds(),
        b.kmsCountedIds(),
        x -> x.id().toString(),
        KmsCountedProduct::name);
    compare(out, "skus", a.skus(), b.skus(), x -> x.skuId().toString(), Sku::name);
    compare(
        out, "hostBuilds", a.hostBuilds(), b.hostBuilds(), x -> "" + x.build(), HostBuild::name);
    compare(
        out,
        "hostKeyGroups",
        a.groups().stream().map(CatalogDiff::withoutEdges).toList(),
        b.groups().stream().map(CatalogDiff::withoutEdges).toList(),
        HostKeyGroup::id,
        HostKeyGroup::name);
    compare(out, "coverage", edges(a), edges(b), Edge::key, e -> e.entry().name());
    return new CatalogDiff(label(a), label(b), out);
  }

  /** Whether the catalogs have the same facts. */
  public boolean isEmpty() {
    return changes.isEmpty();
  }

  private static String label(ProductCatalog c) {
    return c.version() + " (sha256 " + c.digest() + ")";
  }

  /** One coverage edge: a group and its entry for one KMS counted ID. */
  private record Edge(String key, CoverageEntry entry) {}

  private static List<Edge> edges(ProductCatalog c) {
    List<Edge> edges = new ArrayList<>();
    for (HostKeyGroup g : c.groups()) {
      for (CoverageEntry e : g.activates()) {
        edges.add(new Edge(g.id() + " -> " + e.kmsCountedId(), e));
      }
    }
    return edges;
  }

  private static HostKeyGroup withoutEdges(HostKeyGroup g) {
    return new HostKeyGroup(
        g.id(),
        g.name(),
        g.applicationId(),
        g.hostKind(),
        g.hostKeys(),
        g.hostBuilds(),
        g.hostBuildsInferred(),
        List.of(),
        g.doesNotActivate());
  }

  private static <T> void compare(
      List<Change> out,
      String section,
      Collection<T> a,
      Collection<T> b,
      Function<T, String> key,
      Function<T, String> name) {
    Map<String, T> old = new LinkedHashMap<>();
    a.forEach(x -> old.put(key.apply(x), x));
    Map<String, T> now = new LinkedHashMap<>();
    b.forEach(x -> now.put(key.apply(x), x));
    for (Map.Entry<String, T> e : now.entrySet()) {
      T before = old.get(e.getKey());
      if (before == null) {
        out.add(new Change(Kind.ADDED, section, e.getKey(), name.apply(e.getValue())));
      } else if (!before.equals(e.getValue())) {
        out.add(new Change(Kind.CHANGED, section, e.getKey(), fields(before, e.getValue())));
      }
    }
    for (Map.Entry<String, T> e : old.entrySet()) {
      if (!now.containsKey(e.getKey())) {
        out.add(new Change(Kind.REMOVED, section, e.getKey(), name.apply(e.getValue())));
      }
    }
  }

  /** {@code field: old → new} for every record component that differs. */
  private static String fields(Object before, Object after) {
    if (before instanceof Edge x && after instanceof Edge y) {
      return fields(x.entry(), y.entry());
    }
    List<String> parts = new ArrayList<>();
    for (RecordComponent rc : before.getClass().getRecordComponents()) {
      try {
        Object x = rc.getAccessor().invoke(before);
        Object y = rc.getAccessor().invoke(after);
        if (!Objects.equals(x, y)) {
          parts.add(rc.getName() + ": " + show(x) + " → " + show(y));
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read " + rc.getName(), e);
      }
    }
    return String.join("; ", parts);
  }

  private static String show(Object v) {
    if (v instanceof java.util.Optional<?> o) {
      return o.map(CatalogDiff::show).orElse("none");
    }
    if (v instanceof Guid || v instanceof Enum<?>) {
      return v instanceof Enum<?> e ? CatalogReader.jsonName(e) : v.toString();
    }
    if (v instanceof String s) {
      return "'" + s + "'";
    }
    if (v instanceof Collection<?> c && c.size() > 3) {
      return c.size() + " entries";
    }
    return String.valueOf(v);
  }
}
