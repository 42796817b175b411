package io.github.kmsj.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kmsj.admin.http.AdminToken;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;

/**
 * {@code kmsj admin --url URL --token-file FILE VERB}: the {@code slmgr}-style verbs on a running
 * host, through its HTTP admin endpoint (docs/ADMIN-HTTP.md). Tables by default, the API's JSON
 * with {@code --json}.
 */
@Command(
    name = "admin",
    description = {
      "Administer a running host through its HTTP admin endpoint (kmsj host --admin), with"
          + " slmgr's verbs: dlv, sai, sri, sprt, sdns, cdns, cpri, spri, dns-priority,"
          + " dns-weight, dns-domains, clients, export, audit."
    },
    subcommands = {
      AdminCommand.Dlv.class,
      AdminCommand.Sai.class,
      AdminCommand.Sri.class,
      AdminCommand.Sprt.class,
      AdminCommand.Sdns.class,
      AdminCommand.Cdns.class,
      AdminCommand.Cpri.class,
      AdminCommand.Spri.class,
      AdminCommand.DnsPriority.class,
      AdminCommand.DnsWeight.class,
      AdminCommand.DnsDomains.class,
      AdminCommand.Clients.class,
      AdminCommand.Export.class,
      AdminCommand.Audit.class
    })
final class AdminCommand implements Runnable {
  @CommandLine.Spec CommandSpec spec;

  @Option(
      names = "--url",
      paramLabel = "URL",
      scope = ScopeType.INHERIT,
      description = "the endpoint, as kmsj host --admin printed it (e.g. http://127.0.0.1:8088)")
  String url;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description = "the file holding the admin token (the host's --admin-token-file)")
  Path tokenFile;

  @Option(names = "--json", scope = ScopeType.INHERIT, description = "print the API's JSON")
  boolean json;

  @Option(
      names = "--timeout",
      paramLabel = "S",
      scope = ScopeType.INHERIT,
      description = "seconds to wait for the endpoint (default 10)")
  double timeout = 10;

  @Override
  public void run() {
    throw new UsageException(
        "give a verb: " + String.join(", ", spec.subcommands().keySet()) + " (see --help)");
  }

  /** One call to the endpoint: what every verb uses. */
  final class Client {
    private final URI base;
    private final String token;
    private final HttpClient http;
    private final Duration wait;

    Client() {
      if (url == null) {
        throw new UsageException("--url URL is required (the host's --admin address)");
      }
      if (tokenFile == null) {
        throw new UsageException("--token-file FILE is required");
      }
      try {
        URI u = new URI(url.endsWith("/") ? url : url + "/");
        if (!"http".equals(u.getScheme()) || u.getHost() == null) {
          throw new UsageException("--url must be http://HOST:PORT: " + url);
        }
        base = u;
      } catch (URISyntaxException e) {
        throw new UsageException("--url must be http://HOST:PORT: " + url);
      }
      try {
        token = AdminToken.readText(tokenFile);
      } catch (IOException e) {
        throw new UsageException("cannot read --token-file " + tokenFile + ": " + Kmsj.describe(e));
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      wait = Options.seconds("--timeout", timeout);
      http = HttpClient.newBuilder().connectTimeout(wait).build();
    }

    JsonNode get(String path) {
      return parse(bytes(request(path).GET()).bytes());
    }

    byte[] raw(String path) {
      return bytes(request(path).GET()).bytes();
    }

    JsonNode post(String setting, JsonNode value) {
      ObjectNode body = Json.object();
      body.set("value", value);
      HttpRequest.Builder b =
          request("api/settings/" + setting)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
      return parse(bytes(b).bytes());
    }

    private JsonNode parse(byte[] body) {
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new Failure("the endpoint's answer is not JSON: " + Kmsj.describe(e));
      }
    }

    private HttpRequest.Builder request(String path) {
      return HttpRequest.newBuilder(base.resolve(path))
          .timeout(wait)
          .header("Authorization", "Bearer " + token)
          .header("Accept", "application/json");
    }

    private Body bytes(HttpRequest.Builder b) {
      HttpResponse<byte[]> r;
      try {
        r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (ConnectException e) {
        throw new Unreachable("cannot reach " + base + ": connection refused");
      } catch (HttpConnectTimeoutException e) {
        throw new Unreachable(
            "cannot reach " + base + ": no answer within " + Options.number(timeout) + " s");
      } catch (HttpTimeoutException e) {
        throw new Unreachable(base + " did not answer within " + Options.number(timeout) + " s");
      } catch (IOException e) {
        throw new Unreachable("cannot reach " + base + ": " + Kmsj.describe(e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Unreachable("interrupted");
      }
      if (r.statusCode() == 200) {
        return new Body(r.body());
      }
      String message = errorMessage(r.body());
      switch (r.statusCode()) {
        case 400:
          throw new UsageException(message);
        case 401:
          throw new Failure("the endpoint refused the token in " + tokenFile + " (401)");
        default:
          throw new Failure(message + " (HTTP " + r.statusCode() + ")");
      }
    }
  }

  private static String errorMessage(byte[] body) {
    try {
      JsonNode n = Json.MAPPER.readTree(body);
      if (n != null && n.hasNonNull("error")) {
        return n.get("error").asText();
      }
    } catch (RuntimeException | IOException e) {
      // not JSON: fall through to the raw text
    }
    String text = new String(body, StandardCharsets.UTF_8).strip();
    return text.isEmpty() ? "no message" : text.lines().findFirst().orElse("");
  }

  /** An answer's body. */
  private static final class Body {
    private final byte[] bytes;

    Body(byte[] bytes) {
      this.bytes = bytes;
    }

    byte[] bytes() {
      return bytes;
    }
  }

  /** The endpoint could not be reached: exit status 5. */
  static final class Unreachable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unreachable(String message) {
      super(message);
    }
  }

  /** The endpoint answered with an error: exit status 1. */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message);
    }
  }

  /** The base of every verb: runs it and maps failures to exit statuses. */
  abstract static class Verb implements Callable<Integer> {
    @ParentCommand AdminCommand admin;
    @CommandLine.Spec CommandSpec spec;

    @Override
    public final Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      String prefix = "kmsj admin " + spec.name() + ": ";
      try {
        run(admin.new Client(), out);
        out.flush();
        return Kmsj.OK;
      } catch (Unreachable e) {
        err.println(prefix + e.getMessage());
        return Kmsj.TRANSPORT;
      } catch (Failure e) {
        err.println(prefix + e.getMessage());
        return Kmsj.FAILED;
      }
    }

    abstract void run(Client client, PrintWriter out);

    boolean json() {
      return admin.json;
    }

    void printJson(PrintWriter out, JsonNode node) {
      try {
        out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node));
      } catch (IOException e) {
        throw new Failure(Kmsj.describe(e));
      }
    }

    /** Sets {@code setting} to a number on the host and prints the change. */
    void change(Client client, PrintWriter out, String setting, long value) {
      change(client, out, setting, Json.MAPPER.getNodeFactory().numberNode(value));
    }

    /** Sets {@code setting} on or off on the host and prints the change. */
    void change(Client client, PrintWriter out, String setting, boolean value) {
      change(client, out, setting, Json.MAPPER.getNodeFactory().booleanNode(value));
    }

    /** Sets {@code setting} on the host and prints the change: {@code setting: old -> new}. */
    void change(Client client, PrintWriter out, String setting, JsonNode value) {
      JsonNode answer = client.post(setting, value);
      if (json()) {
        printJson(out, answer);
        return;
      }
      JsonNode c = answer.path("change");
      out.println(
          c.path("setting").asText()
              + ": "
              + c.path("oldValue").asText()
              + " -> "
              + c.path("newValue").asText()
              + " (takes effect for the next request)");
    }
  }

  @Command(name = "dlv", description = "Show the host's license information, as slmgr /dlv")
  static final class Dlv extends Verb {
    @Override
    void run(Client client, PrintWriter out) {
      JsonNode v = client.get("api/view");
      if (json()) {
        printJson(out, v);
        return;
      }
      out.print(AdminTables.dlv(v));
    }
  }

  @Command(name = "sai", description = "Set the activation interval in minutes (15-43200)")
  static final class Sai extends Verb {
    @Parameters(paramLabel = "MINUTES")
    long minutes;

    @Override
    void run(Client client, PrintWriter out) {
      change(client, out, "activation-interval", minutes);
    }
  }

  @Command(name = "sri", description = "Set the renewal interval in minutes (15-43200)")
  static final class Sri extends Verb {
    @Parameters(paramLabel = "MINUTES")
    long minutes;

    @Override
    void run(Client client, PrintWriter out) {
      change(client, out, "renewal-interval", minutes);
    }
  }

  @Command(
      name = "sprt",
      description = "Move the KMS listener to PORT (re-publishes the SRV record)")
  static final class Sprt extends Verb {
    @Parameters(paramLabel = "PORT")
    int port;

    @Override
    void run(Client client, PrintWriter out) {
      change(client, out, "port", port);
    }
  }

  @Command(name = "sdns", description = "Publish the host's SRV record (DNS publishing on)")
  static final class Sdns extends Verb {
    @Override
    void run(Client client, PrintWriter out) {
      change(client, out, "dns-publish", true);
    }
  }

  @Command(
      name = "cdns",
      description = "Stop publishing and remove the records this host published")
  static final class Cdns extends Verb {
    @Override
    void run(Client client, PrintWriter out) {
      change(client, out, "dns-publish", false);
    }
  }

  @Command(name = "cpri", description = "Run the host at low priority (co-hosted server)")
  static final class Cpri extends Verb {
    @Override
    void run(Client client, PrintWriter out) {
      change(client, out, "low-priority", true);
    }
  }

  @Command(name = "spri", description = "Run the host at normal priority")
  static final class Spri extends Verb {
    @Override
    void run(Client client, PrintWriter out) {
      change(client, out, "low-priority", false);
    }
  }

  @Command(name = "dns-priority", description = "Set the SRV priority (0-65535)")
  static final class DnsPriority extends Verb {
    @Parameters(paramLabel = "N")
    int priority;

    @Override
    void run(Client client, PrintWriter out) {
      change(client, out, "dns-priority", priority);
    }
  }

  @Command(name = "dns-weight", description = "Set the SRV weight (0-65535)")
  static final class DnsWeight extends Verb {
    @Parameters(paramLabel = "N")
    int weight;

    @Override
    void run(Client client, PrintWriter out) {
      change(client, out, "dns-weight", weight);
    }
  }

  @Command(
      name = "dns-domains",
      description = "Set the extra domains to publish in (none given: only the home domain)")
  static final class DnsDomains extends Verb {
    @Parameters(paramLabel = "DOMAIN:PRIORITY:WEIGHT", arity = "0..*")
    List<String> domains = new ArrayList<>();

    @Override
    void run(Client client, PrintWriter out) {
      ArrayNode list = Json.MAPPER.createArrayNode();
      for (String d : domains) {
        if (d.split(":", -1).length != 3) {
          throw new UsageException("a domain is DOMAIN:PRIORITY:WEIGHT: " + d);
        }
        list.add(d);
      }
      change(client, out, "dns-extra", list);
    }
  }

  @Command(name = "clients", description = "List every client record (no cap)")
  static final class Clients extends Verb {
    @Option(names = "--application", paramLabel = "GUID", description = "only this application")
    String application;

    @Option(
        names = "--not-seen-days",
        paramLabel = "N",
        description = "only clients not seen for at least N days")
    Integer notSeenDays;

    @Option(
        names = "--workstation",
        paramLabel = "TEXT",
        description = "only workstation names containing TEXT (any case)")
    String workstation;

    @Option(names = "--csv", description = "RFC 4180 CSV instead of a table")
    boolean csv;

    @Override
    void run(Client client, PrintWriter out) {
      if (csv && json()) {
        throw new UsageException("give one of --csv and --json");
      }
      StringBuilder q = new StringBuilder("api/clients?format=").append(csv ? "csv" : "json");
      if (application != null) {
        q.append("&application=").append(URLEncoder.encode(application, StandardCharsets.UTF_8));
      }
      if (notSeenDays != null) {
        q.append("&notSeenDays=").append(notSeenDays);
      }
      if (workstation != null) {
        q.append("&workstation=").append(URLEncoder.encode(workstation, StandardCharsets.UTF_8));
      }
      if (csv) {
        out.print(new String(client.raw(q.toString()), StandardCharsets.UTF_8));
        return;
      }
      JsonNode clients = client.get(q.toString());
      if (json()) {
        printJson(out, clients);
        return;
      }
      out.print(AdminTables.clients(clients));
    }
  }

  @Command(name = "export", description = "Write a consistent snapshot of the running host to FILE")
  static final class Export extends Verb {
    @Parameters(paramLabel = "FILE")
    Path file;

    @Option(names = "--force", description = "replace FILE if it exists")
    boolean force;

    @Override
    void run(Client client, PrintWriter out) {
      if (Files.exists(file) && !force) {
        throw new UsageException(file + " exists (--force replaces it)");
      }
      byte[] state = client.raw("api/export");
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try {
        Files.write(tmp, state);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new Failure("cannot write " + file + ": " + Kmsj.describe(e));
      }
      if (json()) {
        ObjectNode o = Json.object();
        o.put("file", file.toString());
        o.put("bytes", state.length);
        printJson(out, o);
      } else {
        out.println("exported " + state.length + " bytes to " + file);
      }
    }
  }

  @Command(name = "audit", description = "List the changes made at run time, oldest first")
  static final class Audit extends Verb {
    @Override
    void run(Client client, PrintWriter out) {
      JsonNode audit = client.get("api/audit");
      if (json()) {
        printJson(out, audit);
        return;
      }
      out.print(AdminTables.audit(audit));
    }
  }
}
