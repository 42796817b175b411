package io.github.kmsj.examples;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kmsj.core.catalog.CoverageEntry;
import io.github.kmsj.core.catalog.HostKeyCoverage;
import io.github.kmsj.core.catalog.HostKeyGroup;
import io.github.kmsj.core.catalog.KmsCountedProduct;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.protocol.message.Guid;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code kmsj products} and {@code kmsj groups}: the product catalog, and which host-key group
 * activates which product.
 */
final class CatalogCommand {
  private CatalogCommand() {}

  /** The options both listings take. */
  abstract static class Listing implements Callable<Integer> {
    @CommandLine.Spec CommandSpec spec;

    @Option(
        names = "--catalog",
        paramLabel = "FILE",
        description = "extend the built-in catalog with this JSON file, as kmsj host does")
    Path catalog;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    ProductCatalog catalog() {
      return catalog == null ? ProductCatalog.builtIn() : ProductCatalog.builtIn().extend(catalog);
    }

    /** The groups of {@code catalog} that activate {@code id}. */
    static List<HostKeyGroup> groupsActivating(ProductCatalog catalog, Guid id) {
      return catalog.groups().stream().filter(g -> g.coverage(id).isPresent()).toList();
    }
  }

  /** {@code kmsj products}. */
  @Command(
      name = "products",
      description =
          "List the catalog's products (KMS counted IDs): N policy, protocol, and the host-key"
              + " groups that activate each ('*' marks a default host's groups).")
  static final class Products extends Listing {
    @Override
    public Integer call() {
      ProductCatalog c = catalog();
      List<String> defaults = HostKeyCoverage.DEFAULT_GROUP_IDS;
      List<KmsCountedProduct> products =
          c.kmsCountedIds().stream().sorted(Comparator.comparing(KmsCountedProduct::name)).toList();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectNode root = Json.object();
        ArrayNode list = root.putArray("products");
        for (KmsCountedProduct p : products) {
          ObjectNode o = list.addObject();
          o.put("kmsCountedId", p.id().toString());
          o.put("name", p.name());
          ArrayNode aliases = o.putArray("aliases");
          p.aliases().forEach(aliases::add);
          o.put("applicationId", p.applicationId().toString());
          o.put("application", c.application(p.applicationId()).map(a -> a.name()).orElse(null));
          o.put("requiredClientCount", p.requiredClientCount());
          o.put("protocolMajorVersion", p.protocolMajorVersion());
          o.put("guidStatus", p.guidStatus().name());
          o.put("retail", p.retail());
          o.put("preview", p.preview());
          ArrayNode groups = o.putArray("activatedBy");
          groupsActivating(c, p.id()).forEach(g -> groups.add(g.id()));
          o.put(
              "activatedByDefaultHost",
              groupsActivating(c, p.id()).stream().anyMatch(g -> defaults.contains(g.id())));
        }
        out.println(Json.text(root));
      } else {
        out.printf(
            Locale.ROOT,
            "%-36s  %-44s  %3s  %s  %s%n",
            "kms counted id",
            "product",
            "N",
            "V",
            "activated by");
        for (KmsCountedProduct p : products) {
          List<String> groups =
              groupsActivating(c, p.id()).stream()
                  .map(g -> g.id() + (defaults.contains(g.id()) ? "*" : ""))
                  .toList();
          String flags = (p.retail() ? " (retail)" : "") + (p.preview() ? " (preview)" : "");
          out.printf(
              Locale.ROOT,
              "%-36s  %-44s  %3d  %d  %s%n",
              p.id(),
              cut(p.name() + flags, 44),
              p.requiredClientCount(),
              p.protocolMajorVersion(),
              groups.isEmpty() ? "none (refused with 0xC004F042)" : String.join(", ", groups));
        }
        out.println(products.size() + " product(s); * = a group a default kmsj host holds");
      }
      out.flush();
      return Kmsj.OK;
    }
  }

  /** {@code kmsj groups}. */
  @Command(
      name = "groups",
      description =
          "List the host-key groups (kmsj host --groups) and the products each activates.")
  static final class Groups extends Listing {
    @Override
    public Integer call() {
      ProductCatalog c = catalog();
      List<String> defaults = HostKeyCoverage.DEFAULT_GROUP_IDS;
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ObjectNode root = Json.object();
        ArrayNode list = root.putArray("groups");
        for (HostKeyGroup g : c.groups()) {
          ObjectNode o = list.addObject();
          o.put("id", g.id());
          o.put("name", g.name());
          o.put("applicationId", g.applicationId().toString());
          o.put("hostKind", g.hostKind().name());
          o.put("default", defaults.contains(g.id()));
          ArrayNode builds = o.putArray("hostBuilds");
          g.hostBuilds().forEach(builds::add);
          ArrayNode activates = o.putArray("activates");
          for (CoverageEntry e : g.activates()) {
            ObjectNode a = activates.addObject();
            a.put("kmsCountedId", e.kmsCountedId().toString());
            a.put("name", c.kmsCountedId(e.kmsCountedId()).map(p -> p.name()).orElse(e.name()));
            a.put("confidence", e.confidence().name());
          }
        }
        out.println(Json.text(root));
      } else {
        for (HostKeyGroup g : c.groups()) {
          out.printf(
              Locale.ROOT,
              "%s%s  %s (%s key, %d product(s))%n",
              g.id(),
              defaults.contains(g.id()) ? " [default]" : "",
              g.name(),
              g.hostKind().name().toLowerCase(Locale.ROOT),
              g.activates().size());
          for (CoverageEntry e : g.activates()) {
            out.printf(
                Locale.ROOT,
                "    %s  %s%n",
                e.kmsCountedId(),
                c.kmsCountedId(e.kmsCountedId()).map(p -> p.name()).orElse(e.name()));
          }
        }
        out.println(
            c.groups().size()
                + " group(s); [default] = held by a kmsj host without --groups (one Windows group"
                + " at most)");
      }
      out.flush();
      return Kmsj.OK;
    }
  }

  private static String cut(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }
}
