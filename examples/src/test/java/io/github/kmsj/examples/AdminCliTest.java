package io.github.kmsj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.dns.PublishEvent;
import io.github.kmsj.dns.PublishFailure;
import io.github.kmsj.dns.PublishListener;
import io.github.kmsj.metrics.DnsPublishResults;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kmsj host --admin} and {@code kmsj admin}: the endpoint as the CLI runs it. */
final class AdminCliTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private int run(String... args) {
    out.reset();
    err.reset();
    return Kmsj.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String errText() {
    return err.toString(StandardCharsets.UTF_8);
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
