package io.github.kmsj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.admin.http.AdminHttpServer;
import io.github.kmsj.admin.http.AdminToken;
import io.github.kmsj.core.admin.HostAdmin;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.transport.KmsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Runs every command of docs/MIGRATION.md, in order, against the real BIND test server and two kmsj
 * hosts on loopback, and checks each one's documented exit status. The document's names become the
 * test's: {@code corp.example} is {@code runbook.corp.test} (in the signed zone {@code corp.test}),
 * {@code ns1.corp.example} the test server, each host its loopback port.
 */
@EnabledIfEnvironmentVariable(named = "DNS_PORT", matches = "\\d+")
final class MigrationRunbookTest {
  private static final Pattern COMMAND = Pattern.compile("^kmsj (.*?)(?:\\s+# status (\\d+))?$");
  private static final String DOMAIN = "runbook.corp.test";

  private final List<Host> hosts = new ArrayList<>();
  private Host old;
  private Host neu;
  @TempDir Path dir;

  /** A kmsj host on loopback (without the CLI's MBean, so that two fit in one JVM). */
  record Host(KmsHost host, KmsServer server, AdminHttpServer admin) {
    static final String TOKEN = "runbook-test-admin-token-0123456789";

    static Host start(List<String> groups) {
      KmsHost.Builder b = KmsHost.builder();
      if (!groups.isEmpty()) {
        b.hostKeyGroups(groups);
      }
      KmsHost h = b.build();
      KmsServer s =
          KmsServer.builder(h.rpcHandler())
              .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
              .build()
              .start();
      AdminHttpServer admin =
          AdminHttpServer.builder(h)
              .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
              .token(AdminToken.of(TOKEN))
              .server(s)
              .admin(HostAdmin.builder(h).server(s).build())
              .build()
              .start();
      return new Host(h, s, admin);
    }

    String adminUrl() {
      return "http://127.0.0.1:" + admin.address().getPort();
    }

    int port() {
      return server.port();
    }

    void stop() {
      admin.close();
      server.close();
      host.close();
    }
  }

  @AfterEach
  void stopHosts() {
    hosts.forEach(Host::stop);
  }

  private static Path doc() {
    Path p = Path.of("..", "docs", "MIGRATION.md");
    return Files.exists(p) ? p : Path.of("docs", "MIGRATION.md");
  }

  private static String dnsServer() {
    return System.getenv().getOrDefault("DNS_HOST", "127.0.0.1") + ":" + System.getenv("DNS_PORT");
  }

  /** The commands of the document's {@code sh} blocks, in order. */
  static List<String> commands(String markdown) {
    List<String> out = new ArrayList<>();
    boolean in = false;
    for (String line : markdown.split("\n")) {
      if (line.startsWith("```")) {
        in = !in && line.strip().equals("```sh");
        continue;
      }
      if (in && !line.isBlank()) {
        out.add(line.strip());
      }
    }
    return out;
  }

  private String substitute(String line) throws IOException {
    String secret = dir.resolve("tsig.secret").toString();
    return line.replace("http://kms-old.corp.example:8088", old.adminUrl())
        .replace("http://kms-new.corp.example:8088", neu.adminUrl())
        .replace("/etc/kmsj/admin.token", dir.resolve("admin.token").toString())
        .replace("kms-old.corp.example:1688", "127.0.0.1:" + old.port())
        .replace("kms-new.corp.example:1688", "127.0.0.1:" + neu.port())
        .replace(
            "--host kms-old.corp.example --port 1688",
            "--host kms-old." + DOMAIN + " --port " + old.port())
        .replace(
            "--host kms-new.corp.example --port 1688",
            "--host kms-new." + DOMAIN + " --port " + neu.port())
        .replace("ns1.corp.example", dnsServer())
        .replace(
            "--tsig-name kmsj-update",
            "--tsig-name " + System.getenv().getOrDefault("DNS_TSIG_KEY_NAME", "kmsj-test"))
        .replace("/etc/kmsj/tsig.secret", secret)
        .replace("migrate-check.xml", dir.resolve("migrate-check.xml").toString())
        .replace("corp.example", DOMAIN);
  }

  private static void update(Update u) throws IOException {
    SimpleResolver r =
        new SimpleResolver(
            new InetSocketAddress(
                System.getenv().getOrDefault("DNS_HOST", "127.0.0.1"),
                Integer.parseInt(System.getenv("DNS_PORT"))));
    String secret = Files.readString(Path.of(System.getenv("DNS_TSIG_SECRET_FILE"))).strip();
    r.setTSIGKey(
        new TSIG(
            TSIG.HMAC_SHA256,
            Name.fromString(System.getenv().getOrDefault("DNS_TSIG_KEY_NAME", "kmsj-test") + "."),
            secret));
    Message m = r.send(u);
    assertEquals(Rcode.NOERROR, m.getRcode(), m.toString());
  }

  /** The world the runbook starts in: A records for both hosts, the old host published. */
  private void prepareDns() throws IOException {
    Name zone = Name.fromString("corp.test.");
    Update u = new Update(zone);
    u.delete(Name.fromString("_vlmcs._tcp." + DOMAIN + "."), Type.SRV);
    for (String h : List.of("kms-old", "kms-new")) {
      u.replace(
          new ARecord(
              Name.fromString(h + "." + DOMAIN + "."),
              DClass.IN,
              300,
              InetAddress.getByName("127.0.0.1")));
    }
    u.add(
        Name.fromString("_vlmcs._tcp." + DOMAIN + "."),
        Type.SRV,
        300,
        "0 100 " + old.port() + " kms-old." + DOMAIN + ".");
    update(u);
    Files.writeString(dir.resolve("admin.token"), Host.TOKEN + "\n");
    Files.writeString(
        dir.resolve("tsig.secret"),
        Files.readString(Path.of(System.getenv("DNS_TSIG_SECRET_FILE"))));
  }

  @Test
  void everyDocumentedCommand_givesItsDocumentedStatus() throws Exception {
    List<String> commands = commands(Files.readString(doc(), StandardCharsets.UTF_8));
    assertTrue(commands.size() >= 10, commands.toString());
    old = Host.start(List.of());
    hosts.add(old);
    neu = null;
    int ran = 0;
    for (String command : commands) {
      Matcher m = COMMAND.matcher(command);
      assertTrue(m.matches(), "not a kmsj command line: " + command);
      if (m.group(1).startsWith("host ")) {
        // The new host, started (or restarted) with the documented groups.
        if (neu != null) {
          hosts.remove(neu);
          neu.stop();
        }
        Matcher g = Pattern.compile("--groups (\\S+)").matcher(m.group(1));
        neu = Host.start(g.find() ? List.of(g.group(1).split(",")) : List.of());
        hosts.add(neu);
        if (ran == 0) {
          prepareDns();
        }
        ran++;
        continue;
      }
      String line = substitute(m.group(1));
      int expected = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status =
          Kmsj.run(
              line.split("\\s+"),
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));
      assertEquals(
          expected,
          status,
          "kmsj "
              + line
              + "\n--- out:\n"
              + out.toString(StandardCharsets.UTF_8)
              + "--- err:\n"
              + err.toString(StandardCharsets.UTF_8));
      ran++;
    }
    assertEquals(commands.size(), ran);
    assertTrue(Files.size(dir.resolve("migrate-check.xml")) > 0, "the JUnit report was written");
  }
}
