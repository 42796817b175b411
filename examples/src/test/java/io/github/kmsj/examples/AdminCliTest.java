package io.github.kmsj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kmsj.core.store.Durability;
import io.github.kmsj.core.store.FileHostStore;
import io.github.kmsj.dns.PublishEvent;
import io.github.kmsj.dns.PublishFailure;
import io.github.kmsj.dns.PublishListener;
import io.github.kmsj.metrics.DnsPublishResults;
import io.github.kmsj.test.KmsTestHost;
import io.github.kmsj.test.TestProduct;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kmsj host --admin} and {@code kmsj admin}: the endpoint as the CLI runs it. */
final class AdminCliTest {
  private final CliRun cli = new CliRun();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private int run(String... args) {
    return cli.run(args);
  }

  private String errText() {
    return cli.errText();
  }

  private HttpResponse<String> get(String url, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void host_admin_createsAnOwnerOnlyTokenFile_andServes(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    HostRuntime host =
        HostCommand.build(
                "--listen", "127.0.0.1:0", "--data-dir", data.toString(), "--admin", "127.0.0.1:0")
            .start();
    try {
      Path token = data.resolve(AdminSetup.TOKEN_FILE);
      assertEquals(
          "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(token)));
      String secret = Files.readString(token).strip();
      String url = host.adminEndpoint().orElseThrow().url();
      assertTrue(url.startsWith("http://127.0.0.1:"), url);
      assertEquals(
          0, run("probe", "127.0.0.1:" + host.server().port(), "--requests", "3", "--random-cmid"));
      assertEquals(200, get(url + "healthz", null).statusCode());
      String metrics = get(url + "metrics", null).body();
      assertTrue(metrics.contains("kmsj_requests_total{outcome=\"OOBGrace\"} 3.0"), metrics);
      assertEquals(401, get(url + "api/recent", null).statusCode());
      assertEquals(200, get(url + "api/recent", secret).statusCode());
    } finally {
      host.close(Duration.ofSeconds(1));
    }
  }

  @Test
  void host_admin_badOptions_areOneLineUsageErrors(@TempDir Path dir) throws Exception {
    String[][] cases = {
      {"--admin", "nowhere", "--no-store", "--admin-token-file", dir.resolve("t").toString()},
      {"--admin-token-file", dir.resolve("t").toString(), "--no-store"},
      {"--admin", "127.0.0.1:0", "--no-store"},
      {"--admin", "127.0.0.1:0", "--no-store", "--admin-token-file", shortToken(dir).toString()},
    };
    String[] expected = {
      "--admin wants ADDR:PORT",
      "--admin-token-file needs --admin",
      "--admin with --no-store needs --admin-token-file FILE",
      "at least 16 characters",
    };
    for (int i = 0; i < cases.length; i++) {
      String[] args = new String[cases[i].length + 1];
      args[0] = "host";
      System.arraycopy(cases[i], 0, args, 1, cases[i].length);
      assertEquals(Kmsj.USAGE, run(args), errText());
      String e = errText();
      assertEquals(1, e.lines().count(), e);
      assertTrue(e.startsWith("kmsj host: ") && e.contains(expected[i]), e);
      assertFalse(e.contains("short-secret"), "the token is never shown: " + e);
    }
  }

  private String outText() {
    return cli.outText();
  }

  private int admin(HostRuntime host, Path token, String... verb) {
    String[] args = new String[verb.length + 5];
    args[0] = "admin";
    args[1] = "--url";
    args[2] = host.adminEndpoint().orElseThrow().url();
    args[3] = "--token-file";
    args[4] = token.toString();
    System.arraycopy(verb, 0, args, 5, verb.length);
    return run(args);
  }

  private void assertOneLineError(int status, String verb, String expected, int got) {
    assertEquals(status, got, errText());
    String e = errText();
    assertEquals(1, e.lines().count(), e);
    assertTrue(e.startsWith("kmsj admin " + verb + ": "), e);
    assertTrue(e.contains(expected), e);
  }

  @Test
  void admin_verbs_onALiveHost(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    HostRuntime host =
        HostCommand.build(
                "--listen", "127.0.0.1:0", "--data-dir", data.toString(), "--admin", "127.0.0.1:0")
            .start();
    Path token = data.resolve(AdminSetup.TOKEN_FILE);
    try {
      String kms = "127.0.0.1:" + host.server().port();
      assertEquals(0, run("probe", kms, "--requests", "3", "--random-cmid"));

      assertEquals(0, admin(host, token, "dlv"), errText());
      String dlv = outText();
      assertTrue(dlv.contains("Activation interval: 120 minutes"), dlv);
      assertTrue(dlv.contains("KeyManagementServiceTotalRequests: 3"), dlv);
      assertTrue(dlv.contains("KMS port: " + host.server().port()), dlv);
      assertTrue(dlv.contains("ePID: "), dlv);

      assertEquals(0, admin(host, token, "--json", "dlv"), errText());
      JsonNode view = new ObjectMapper().readTree(outText());
      assertEquals(3, view.at("/requests/KeyManagementServiceTotalRequests").asInt());

      assertEquals(0, admin(host, token, "sai", "60"), errText());
      assertEquals(
          "activation-interval: 120 -> 60 (takes effect for the next request)\n", outText());
      assertEquals(0, run("probe", kms, "--random-cmid", "--json"));
      assertEquals(
          60,
          new ObjectMapper()
              .readTree(outText())
              .at("/results/0/activationIntervalMinutes")
              .asInt());
      assertEquals(0, admin(host, token, "sri", "1440"), errText());
      assertEquals(0, admin(host, token, "cpri"), errText());
      assertTrue(outText().startsWith("low-priority: false -> true"), outText());
      assertEquals(0, admin(host, token, "spri"), errText());

      assertEquals(0, admin(host, token, "audit"), errText());
      List<String> audit = outText().lines().toList();
      assertEquals(5, audit.size(), outText());
      assertTrue(
          audit.get(1).contains("activation-interval") && audit.get(1).contains("http 127.0.0.1"),
          audit.get(1));

      assertEquals(0, admin(host, token, "clients"), errText());
      assertTrue(outText().endsWith("4 clients\n"), outText());
      assertEquals(0, admin(host, token, "clients", "--csv"), errText());
      assertEquals(5, outText().lines().count(), outText());
      assertEquals(
          0, admin(host, token, "clients", "--json", "--workstation", "no-such-name"), errText());
      assertEquals(0, new ObjectMapper().readTree(outText()).get("count").asInt());

      Path export = dir.resolve("state.json");
      assertEquals(0, admin(host, token, "export", export.toString()), errText());
      assertTrue(outText().startsWith("exported "), outText());
      assertTrue(Files.readString(export).contains("kmsj-host-state"));
      assertOneLineError(
          Kmsj.USAGE,
          "export",
          "exists (--force replaces it)",
          admin(host, token, "export", export.toString()));

      // Bad values: status 2, one line, nothing changed.
      assertOneLineError(Kmsj.USAGE, "sai", "activation interval", admin(host, token, "sai", "2"));
      assertOneLineError(Kmsj.USAGE, "sprt", "port", admin(host, token, "sprt", "70000"));
      assertOneLineError(Kmsj.FAILED, "sdns", "(HTTP 409)", admin(host, token, "sdns"));
      assertOneLineError(
          Kmsj.USAGE,
          "dns-domains",
          "DOMAIN:PRIORITY:WEIGHT",
          admin(host, token, "dns-domains", "x.example"));
      assertEquals(0, admin(host, token, "--json", "dlv"));
      assertEquals(
          60, new ObjectMapper().readTree(outText()).get("activationIntervalMinutes").asInt());

      // A wrong token: status 1, one line, the token never printed.
      Path wrong = Files.writeString(dir.resolve("wrong"), "wrong-token-0123456789\n");
      assertOneLineError(Kmsj.FAILED, "dlv", "refused the token", admin(host, wrong, "dlv"));
      assertFalse(errText().contains("wrong-token-0123456789"));
      assertOneLineError(
          Kmsj.USAGE, "dlv", "cannot read --token-file", admin(host, dir.resolve("none"), "dlv"));
    } finally {
      host.close(Duration.ofSeconds(1));
    }
    // Nothing listens there any more: status 5.
    assertEquals(
        Kmsj.TRANSPORT,
        run("admin", "--url", "http://127.0.0.1:9", "--token-file", token.toString(), "dlv"));
    assertEquals(
        "kmsj admin dlv: cannot reach http://127.0.0.1:9/: connection refused\n", errText());
    assertEquals(Kmsj.USAGE, run("admin", "dlv"));
    assertTrue(errText().contains("--url URL is required"), errText());
  }

  @Test
  void admin_clients_fiveThousandFromALiveHost(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    // 5,000 clients recorded by an in-process host on the same data directory, then served live.
    try (KmsTestHost seed =
        KmsTestHost.builder()
            .inProcess()
            .startTime(java.time.Instant.now().minus(Duration.ofHours(1)))
            .store(
                () ->
                    FileHostStore.builder()
                        .directory(data)
                        .durability(Durability.survivesProcessCrash(Duration.ofMillis(100)))
                        .build())
            .start()) {
      seed.activate(TestProduct.WINDOWS_11_PRO, 5_000);
    }
    HostRuntime host =
        HostCommand.build(
                "--listen", "127.0.0.1:0", "--data-dir", data.toString(), "--admin", "127.0.0.1:0")
            .start();
    try {
      Path token = data.resolve(AdminSetup.TOKEN_FILE);
      assertEquals(0, admin(host, token, "clients", "--json"), errText());
      JsonNode clients = new ObjectMapper().readTree(outText());
      assertEquals(5_000, clients.get("count").asInt());
      assertEquals(5_000, clients.get("clients").size());
      assertEquals(0, admin(host, token, "clients", "--csv"), errText());
      assertEquals(5_001, outText().lines().count());
    } finally {
      host.close(Duration.ofSeconds(1));
    }
  }

  @Test
  void host_admin_countsEachDnsPublishOutcome(@TempDir Path dir) throws Exception {
    HostCommand options =
        HostCommand.parse(
            "--no-store",
            "--admin",
            "127.0.0.1:0",
            "--admin-token-file",
            dir.resolve("t").toString());
    AdminSetup setup =
        AdminSetup.configure(
                options, io.github.kmsj.core.host.KmsHost.builder(), java.util.Optional.empty())
            .orElseThrow();
    PublishListener counting = setup.dnsListener();
    String name = "_vlmcs._tcp.corp.test.";
    counting.onEvent(
        new PublishEvent.Published(
            "corp.test.",
            "corp.test.",
            name,
            "kms.corp.test.",
            1688,
            0,
            0,
            Duration.ofHours(1),
            0));
    counting.onEvent(
        new PublishEvent.Removed("corp.test.", "corp.test.", name, "kms.corp.test.", 1));
    counting.onEvent(
        new PublishEvent.Failed(
            "corp.test.",
            name,
            PublishEvent.Operation.REMOVE,
            PublishFailure.REFUSED,
            java.util.Optional.empty(),
            "refused",
            java.util.Optional.empty()));
    DnsPublishResults results = setup.dnsResults();
    assertEquals(1, results.count(DnsPublishResults.Operation.PUBLISH, true));
    assertEquals(0, results.count(DnsPublishResults.Operation.PUBLISH, false));
    assertEquals(1, results.count(DnsPublishResults.Operation.REMOVE, true));
    assertEquals(1, results.count(DnsPublishResults.Operation.REMOVE, false));
  }

  private static Path shortToken(Path dir) throws Exception {
    return Files.writeString(dir.resolve("short"), "short-secret\n");
  }
}
