package io.github.kmsj.examples;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kmsj.core.catalog.EpidReading;
import io.github.kmsj.core.catalog.HostKeyGroup;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.time.Scheduler;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kmsj epid}: reads a KMS host's ePID against the catalog. */
@Command(
    name = "epid",
    description = "Read a KMS host's ePID (kmsj-epid).",
    subcommands = {EpidCommand.Decode.class})
final class EpidCommand implements Callable<Integer> {
  @CommandLine.Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return Kmsj.USAGE;
  }

  /** {@code kmsj epid decode}. */
  @Command(
      name = "decode",
      description = {
        "Print an ePID's parts: platform and host build, CSVLK group mapped to the catalog's"
            + " host-key group and product generation, key ID, LCID, activation date, and the"
            + " plausibility checks.",
        "Status 0 when every check passes, 3 when one fails, 2 when the text is no ePID."
      })
  static final class Decode implements Callable<Integer> {
    @CommandLine.Spec CommandSpec spec;

    @Parameters(
        paramLabel = "EPID",
        description = "e.g. 03612-00206-556-123456-03-1033-17763.0000-2792018")
    String ePid;

    @Option(names = "--catalog", paramLabel = "FILE", description = "extend the built-in catalog")
    Path catalog;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
      ProductCatalog c =
          catalog == null ? ProductCatalog.builtIn() : ProductCatalog.builtIn().extend(catalog);
      LocalDate today = LocalDate.ofInstant(Scheduler.system().instant(), ZoneOffset.UTC);
      EpidReading r;
      try {
        r = EpidReading.read(c, ePid, today);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(Json.text(json(r)));
      } else {
        text(r, out);
      }
      out.flush();
      return r.isPlausible() ? Kmsj.OK : Kmsj.REFUSED;
    }
  }

  static void text(EpidReading r, PrintWriter out) {
    var e = r.epid();
    out.println("ePID " + e.format());
    out.printf(
        Locale.ROOT,
        "  platform       %05d%s%n",
        e.platformId(),
        r.build().map(b -> " (" + b.name() + ")").orElse(""));
    out.printf(
        Locale.ROOT,
        "  group          %05d -> %s%n",
        e.groupId(),
        r.groups().isEmpty()
            ? "no host-key group whose key-ID range holds the key ID"
            : String.join(", ", r.groups().stream().map(EpidCommand::groupText).toList()));
    out.printf(
        Locale.ROOT, "  key ID         %03d-%06d%n", e.keyId() / 1_000_000, e.keyId() % 1_000_000);
    out.printf(Locale.ROOT, "  channel        %02d%n", e.channel());
    out.printf(
        Locale.ROOT,
        "  LCID           %d%s%n",
        e.lcid(),
        r.lcidName().map(n -> " (" + n + ")").orElse(""));
    out.printf(
        Locale.ROOT,
        "  host build     %d%s%n",
        e.build(),
        r.build().map(b -> " (" + b.name() + ")").orElse(" (unknown)"));
    out.println("  activated      " + e.activationDate());
    out.println(r.isPlausible() ? "plausible: every check passed" : "NOT plausible:");
    for (EpidReading.Check c : r.checks()) {
      out.println("  " + (c.passed() ? "ok   " : "FAIL ") + c.name() + ": " + c.detail());
    }
  }

  private static String groupText(HostKeyGroup g) {
    return g.id() + " (" + g.name() + ")";
  }

  static ObjectNode json(EpidReading r) {
    var e = r.epid();
    ObjectNode o = Json.object();
    o.put("ePid", e.format());
    o.put("platformId", e.platformId());
    o.put("groupId", e.groupId());
    ArrayNode groups = o.putArray("hostKeyGroups");
    for (HostKeyGroup g : r.groups()) {
      ObjectNode x = groups.addObject();
      x.put("id", g.id());
      x.put("name", g.name());
      x.put("applicationId", g.applicationId().toString());
    }
    o.put("keyId", e.keyId());
    o.put("channel", e.channel());
    o.put("lcid", e.lcid());
    o.put("lcidName", r.lcidName().orElse(null));
    o.put("build", e.build());
    o.put("buildName", r.build().map(b -> b.name()).orElse(null));
    o.put("activationDate", e.activationDate().toString());
    o.put("plausible", r.isPlausible());
    ArrayNode checks = o.putArray("checks");
    for (EpidReading.Check c : r.checks()) {
      ObjectNode x = checks.addObject();
      x.put("name", c.name());
      x.put("passed", c.passed());
      x.put("detail", c.detail());
    }
    return o;
  }
}
