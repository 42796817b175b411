package io.github.kmsj.examples;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kmsj.core.catalog.CatalogDiff;
import io.github.kmsj.core.catalog.CatalogImport;
import io.github.kmsj.core.catalog.CoverageExplanation;
import io.github.kmsj.core.catalog.HostKeyGroup;
import io.github.kmsj.core.catalog.ImportConflict;
import io.github.kmsj.core.catalog.ImportResult;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.catalog.Source;
import io.github.kmsj.protocol.message.Guid;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kmsj catalog import|why|covering|diff}: convert peer databases, explain coverage and
 * compare catalogs.
 */
@Command(
    name = "catalog",
    description = "Import, query and compare product catalogs.",
    subcommands = {
      CatalogTools.Import.class,
      CatalogTools.Why.class,
      CatalogTools.Covering.class,
      CatalogTools.Diff.class
    })
final class CatalogTools implements Runnable {
  @CommandLine.Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code kmsj catalog import}. */
  @Command(
      name = "import",
      description =
          "Convert py-kms's KmsDataBase.xml or vlmcsd's .kmd file into a kmsj catalog file; lists"
              + " what cannot be mapped and the IDs it maps differently from the built-in catalog.")
  static final class Import implements Callable<Integer> {
    @CommandLine.Spec CommandSpec spec;

    @Option(
        names = "--from",
        required = true,
        paramLabel = "pykms|vlmcsd",
        description = "input format")
    String from;

    @Parameters(paramLabel = "FILE", description = "the input file")
    Path file;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "FILE",
        description = "the catalog to write")
    Path out;

    @Option(names = "--json", description = "print the summary as JSON")
    boolean json;

    @Override
    public Integer call() throws IOException {
      ImportResult r;
      switch (from.toLowerCase(Locale.ROOT)) {
        case "pykms" -> r = CatalogImport.fromPyKms(file, ProductCatalog.builtIn());
        case "vlmcsd" -> r = CatalogImport.fromVlmcsd(file, ProductCatalog.builtIn());
        default -> throw new UsageException("--from must be pykms or vlmcsd: " + from);
      }
      Path tmp = Files.createTempFile(out.toAbsolutePath().getParent(), ".kmsj-import", ".json");
      try {
        Files.writeString(tmp, r.catalog().toJson(), StandardCharsets.UTF_8);
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
      ProductCatalog c = r.catalog();
      PrintWriter o = spec.commandLine().getOut();
      if (json) {
        ObjectNode root = Json.object();
        root.put("out", out.toString());
        root.put("version", c.version());
        root.put("digest", c.digest());
        root.put("applications", c.applications().size());
        root.put("kmsCountedIds", c.kmsCountedIds().size());
        root.put("skus", c.skus().size());
        root.put("hostKeyGroups", c.groups().size());
        root.put("hostBuilds", c.hostBuilds().size());
        ArrayNode groups = root.putArray("groupIds");
        c.groups().forEach(g -> groups.add(g.id()));
        ArrayNode unmapped = root.putArray("unmapped");
        r.unmapped().forEach(unmapped::add);
        ArrayNode conflicts = root.putArray("conflicts");
        for (ImportConflict x : r.conflicts()) {
          conflicts
              .addObject()
              .put("entry", x.entry())
              .put("imported", x.imported())
              .put("importedSource", x.importedSource())
              .put("existing", x.existing())
              .put("existingSource", x.existingSource());
        }
        o.println(Json.text(root));
      } else {
        o.printf(
            Locale.ROOT,
            "wrote %s: version %s, sha256 %s%n  %d application(s), %d KMS counted ID(s), %d SKU(s),"
                + " %d group(s) (%s), %d host build(s)%n",
            out,
            c.version(),
            c.digest(),
            c.applications().size(),
            c.kmsCountedIds().size(),
            c.skus().size(),
            c.groups().size(),
            String.join(", ", c.groups().stream().map(HostKeyGroup::id).toList()),
            c.hostBuilds().size());
        o.println("not mapped (" + r.unmapped().size() + "):");
        r.unmapped().forEach(u -> o.println("  " + u));
        o.println(
            "conflicts with the built-in catalog, built-in kept (" + r.conflicts().size() + "):");
        for (ImportConflict x : r.conflicts()) {
          o.println(
              "  "
                  + x.entry()
                  + ": "
                  + x.imported()
                  + " ["
                  + x.importedSource()
                  + "] vs "
                  + x.existing()
                  + " ["
                  + x.existingSource()
                  + "]");
        }
      }
      o.flush();
      return Kmsj.OK;
    }
  }

  /** The options the queries share. */
  abstract static class Query implements Callable<Integer> {
    @CommandLine.Spec CommandSpec spec;

    @Option(
        names = "--catalog",
        paramLabel = "FILE",
        description = "extend the built-in catalog with this catalog or overlay file")
    Path catalog;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    ProductCatalog catalog() {
      return catalog == null ? ProductCatalog.builtIn() : ProductCatalog.builtIn().extend(catalog);
    }

    static Guid product(ProductCatalog c, String query) {
      return c.resolveProduct(query)
          .orElseThrow(
              () -> {
                List<String> near = c.nearestNames(query);
                return new UsageException(
                    "no single product or SKU matches '"
                        + query
                        + "'"
                        + (near.isEmpty() ? "" : " (nearest: " + String.join(", ", near) + ")"));
              });
    }
  }

  /** {@code kmsj catalog why}. */
  @Command(
      name = "why",
      description =
          "Say whether a host-key group activates a product (KMS counted ID, SKU, or a name), with"
              + " the chain group -> KMS counted ID -> SKU and each link's source and confidence.")
  static final class Why extends Query {
    @Option(
        names = "--group",
        required = true,
        paramLabel = "GROUP",
        description = "host-key group id")
    String group;

    @Option(names = "--product", required = true, paramLabel = "NAME|GUID", description = "product")
    String product;

    @Override
    public Integer call() {
      ProductCatalog c = catalog();
      Guid id = product(c, product);
      if (c.group(group).isEmpty()) {
        throw new UsageException(
            "unknown host-key group: '"
                + group
                + "' (nearest: "
                + String.join(", ", c.nearestGroupIds(group))
                + "; kmsj groups lists them)");
      }
      CoverageExplanation x = c.explain(group, id);
      PrintWriter o = spec.commandLine().getOut();
      String name = c.kmsCountedId(x.kmsCountedId()).map(p -> p.name()).orElse("?");
      if (json) {
        ObjectNode root = Json.object();
        root.put("group", x.groupId());
        root.put("kmsCountedId", x.kmsCountedId().toString());
        root.put("product", name);
        if (x.sku().isPresent()) {
          root.put("skuId", x.sku().get().skuId().toString());
          root.put("sku", x.sku().get().name());
        } else {
          root.putNull("skuId");
        }
        root.put("covered", x.covered());
        root.put("acceptedWhenStrict", x.acceptedWhenStrict());
        ArrayNode chain = root.putArray("chain");
        for (CoverageExplanation.Link l : x.chain()) {
          ObjectNode lo = chain.addObject();
          lo.put("from", l.from());
          lo.put("to", l.to());
          lo.put("confidence", l.confidence().name().toLowerCase(Locale.ROOT).replace('_', '-'));
          if (l.source().isPresent()) {
            lo.set("source", source(l.source().get()));
          } else {
            lo.putNull("source");
          }
          lo.put("note", l.note());
        }
        root.put("reason", x.reason().orElse(null));
        ArrayNode covering = root.putArray("coveringGroups");
        x.coveringGroups().forEach(covering::add);
        root.put("catalogVersion", c.version());
        root.put("catalogDigest", c.digest());
        o.println(Json.text(root));
      } else {
        o.printf(
            Locale.ROOT,
            "%s: %s %s %s%s%n",
            x.covered() ? "covered" : "not covered",
            x.groupId(),
            x.covered() ? "activates" : "does not activate",
            x.sku().map(s -> s.name() + " (SKU " + s.skuId() + ") -> ").orElse(""),
            name + " (" + x.kmsCountedId() + ")");
        for (CoverageExplanation.Link l : x.chain()) {
          o.printf(
              Locale.ROOT,
              "  %s -> %s  [%s] %s%n    %s%n",
              l.from(),
              l.to(),
              l.confidence().name().toLowerCase(Locale.ROOT).replace('_', '-'),
              l.source().map(CatalogTools::describe).orElse("(no source recorded)"),
              l.note());
        }
        if (x.covered() && !x.acceptedWhenStrict()) {
          o.println("  a strict host refuses it (doubtful GUID)");
        }
        x.reason().ifPresent(r -> o.println("  reason: " + r));
        o.println(
            "  groups that activate it: "
                + (x.coveringGroups().isEmpty() ? "none" : String.join(", ", x.coveringGroups())));
      }
      o.flush();
      return Kmsj.OK;
    }
  }

  /** {@code kmsj catalog covering}. */
  @Command(name = "covering", description = "List the host-key groups that activate a product.")
  static final class Covering extends Query {
    @Option(names = "--product", required = true, paramLabel = "NAME|GUID", description = "product")
    String product;

    @Override
    public Integer call() {
      ProductCatalog c = catalog();
      Guid id = product(c, product);
      List<HostKeyGroup> groups = c.groupsCovering(id);
      PrintWriter o = spec.commandLine().getOut();
      if (json) {
        ObjectNode root = Json.object();
        root.put("product", id.toString());
        ArrayNode list = root.putArray("groups");
        for (HostKeyGroup g : groups) {
          CoverageExplanation x = c.explain(g.id(), id);
          ObjectNode go = list.addObject();
          go.put("id", g.id());
          go.put(
              "confidence",
              x.chain().get(0).confidence().name().toLowerCase(Locale.ROOT).replace('_', '-'));
          go.set("source", source(x.chain().get(0).source().orElseThrow()));
        }
        o.println(Json.text(root));
      } else {
        for (HostKeyGroup g : groups) {
          CoverageExplanation.Link l = c.explain(g.id(), id).chain().get(0);
          o.printf(
              Locale.ROOT,
              "%s  [%s] %s%n",
              g.id(),
              l.confidence().name().toLowerCase(Locale.ROOT).replace('_', '-'),
              l.source().map(CatalogTools::describe).orElse(""));
        }
        o.println(groups.size() + " group(s) activate " + id);
      }
      o.flush();
      return Kmsj.OK;
    }
  }

  /** {@code kmsj catalog diff}. */
  @Command(
      name = "diff",
      description =
          "List what changed from catalog A to catalog B: products, KMS counted IDs, SKUs, groups"
              + " and coverage edges added, removed and changed. 'builtin' names the built-in"
              + " catalog; an overlay file is applied to the built-in one.")
  static final class Diff implements Callable<Integer> {
    @CommandLine.Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "builtin or a catalog/overlay file")
    String a;

    @Parameters(index = "1", paramLabel = "B", description = "builtin or a catalog/overlay file")
    String b;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    private static ProductCatalog open(String name) {
      if (name.equals("builtin")) {
        return ProductCatalog.builtIn();
      }
      Path p = Path.of(name);
      if (!Files.exists(p)) {
        throw new UsageException("no such catalog file: " + name + " (or give builtin)");
      }
      return catalogOrOverlay(p);
    }

    @Override
    public Integer call() {
      CatalogDiff d = CatalogDiff.between(open(a), open(b));
      PrintWriter o = spec.commandLine().getOut();
      if (json) {
        ObjectNode root = Json.object();
        root.put("from", d.from());
        root.put("to", d.to());
        ArrayNode list = root.putArray("changes");
        for (CatalogDiff.Change ch : d.changes()) {
          list.addObject()
              .put("kind", ch.kind().name().toLowerCase(Locale.ROOT))
              .put("section", ch.section())
              .put("key", ch.key())
              .put("detail", ch.detail());
        }
        o.println(Json.text(root));
      } else {
        o.println("--- " + d.from());
        o.println("+++ " + d.to());
        for (CatalogDiff.Change ch : d.changes()) {
          char mark =
              switch (ch.kind()) {
                case ADDED -> '+';
                case REMOVED -> '-';
                case CHANGED -> '~';
              };
          o.println(mark + " " + ch.section() + " " + ch.key() + ": " + ch.detail());
        }
        o.println(d.changes().size() + " change(s)");
      }
      o.flush();
      return Kmsj.OK;
    }
  }

  /** A catalog file on its own, or an overlay applied to the built-in catalog. */
  static ProductCatalog catalogOrOverlay(Path p) {
    try {
      String head = Files.readString(p, StandardCharsets.UTF_8);
      return head.contains("\"kmsj-overlay/1\"")
          ? ProductCatalog.builtIn().extend(p)
          : ProductCatalog.load(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static ObjectNode source(Source s) {
    ObjectNode o = Json.object();
    o.put("ref", s.ref());
    o.put("url", s.url().orElse(null));
    o.put("path", s.path().orElse(null));
    o.put("row", s.row().orElse(null));
    o.put("item", s.item().orElse(null));
    return o;
  }

  private static String describe(Source s) {
    return s.ref()
        + s.row().map(r -> ", row '" + r + "'").orElse("")
        + s.item().map(i -> ", item '" + i + "'").orElse("")
        + s.url().or(s::path).map(u -> " <" + u + ">").orElse("");
  }
}
