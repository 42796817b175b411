package io.github.kmsj.admin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.kmsj.admin.http.PrometheusText.Family;
import io.github.kmsj.admin.http.testlog.CapturingLogs;
import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.host.HostListener;
import io.github.kmsj.core.host.RequestEvent;
import io.github.kmsj.core.transport.KmsServer;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.test.TestProduct;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class AdminHttpServerTest {

  @Test
  void api_withoutOrWithWrongToken_is401() throws Exception {
    try (AdminRig rig = new AdminRig()) {
      for (String token :
          new String[] {null, "wrong-token-but-long-enough", AdminRig.TOKEN + "x", ""}) {
        HttpResponse<String> r = rig.get("/api/recent", token);
        assertEquals(401, r.statusCode(), "token " + token);
        assertTrue(r.body().contains("admin token is required"), r.body());
        HttpResponse<String> page = rig.get("/", token);
        if (token == null) {
          assertEquals(
              303, page.statusCode(), "a browser without a session goes to the login form");
          assertEquals("/login", page.headers().firstValue("Location").orElseThrow());
        } else {
          assertEquals(401, page.statusCode());
        }
        assertFalse(page.body().contains("status.js"), "the page itself is not served");
        assertEquals(401, rig.get("/status.js", token).statusCode());
        assertEquals(401, rig.get("/api/view", token).statusCode());
        assertEquals(401, rig.get("/api/clients", token).statusCode());
        assertEquals(401, rig.get("/api/export", token).statusCode());
        assertEquals(401, rig.get("/no-such-path", token).statusCode(), "no path probing either");
      }
      HttpResponse<String> ok = rig.get("/api/recent", AdminRig.TOKEN);
      assertEquals(200, ok.statusCode(), ok.body());
      assertEquals(404, rig.get("/no-such-path", AdminRig.TOKEN).statusCode());
      assertEquals(405, rig.post("/api/recent", AdminRig.TOKEN, "{}").statusCode());
    }
  }

  @Test
  void login_withTheToken_givesAStrictHttpOnlySession() throws Exception {
    try (AdminRig rig = new AdminRig()) {
      HttpResponse<String> wrong = login(rig, "not-the-token-at-all");
      assertEquals(401, wrong.statusCode());
      assertTrue(wrong.headers().firstValue("Set-Cookie").isEmpty());
      assertTrue(wrong.body().contains("login-error"));

      HttpResponse<String> ok = login(rig, AdminRig.TOKEN);
      assertEquals(303, ok.statusCode());
      String cookie = ok.headers().firstValue("Set-Cookie").orElseThrow();
      assertTrue(cookie.contains("HttpOnly"), cookie);
      assertTrue(cookie.contains("SameSite=Strict"), cookie);
      String session = cookie.substring(0, cookie.indexOf(';'));
      HttpResponse<String> page =
          rig.http.send(
              HttpRequest.newBuilder(rig.uri("/")).header("Cookie", session).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, page.statusCode());
      assertTrue(
          page.headers().firstValue("Content-Security-Policy").orElseThrow().contains("'self'"));
      // A change authenticated by the cookie alone needs the request header (no cross-site form).
      HttpResponse<String> logoutNoHeader =
          rig.http.send(
              HttpRequest.newBuilder(rig.uri("/logout"))
                  .header("Cookie", session)
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(401, logoutNoHeader.statusCode());
      HttpResponse<String> logout =
          rig.http.send(
              HttpRequest.newBuilder(rig.uri("/logout"))
                  .header("Cookie", session)
                  .header(AdminHttpServer.REQUEST_HEADER, "1")
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(303, logout.statusCode());
      HttpResponse<String> after =
          rig.http.send(
              HttpRequest.newBuilder(rig.uri("/api/recent"))
                  .header("Cookie", session)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(401, after.statusCode(), "the session ended with the logout");
    }
  }

  static HttpResponse<String> login(AdminRig rig, String token) throws Exception {
    return rig.http.send(
        HttpRequest.newBuilder(rig.uri("/login"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "token=" + java.net.URLEncoder.encode(token, "UTF-8")))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void tokenFile_createdByTheHost_isOwnerOnlyAndReadBack(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("admin.token");
    AdminToken created = AdminToken.readOrCreate(file, new SecureRandom());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    String text = AdminToken.readText(file);
    assertTrue(text.length() >= 43, text.length() + " characters");
    assertTrue(created.matches(text));
    assertFalse(created.matches(text + "x"));
    assertFalse(created.toString().contains(text));
    AdminToken again = AdminToken.readOrCreate(file, new SecureRandom());
    assertTrue(again.matches(text), "an existing file is read, not replaced");

    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AdminToken.read(empty));
    assertTrue(e.getMessage().contains("holds no token"), e.getMessage());
    Path shortOne = Files.writeString(dir.resolve("short"), "abc\n");
    e = assertThrows(IllegalArgumentException.class, () -> AdminToken.read(shortOne));
    assertTrue(e.getMessage().contains("at least 16"), e.getMessage());
    assertFalse(e.getMessage().contains("abc"), "the message never shows the token");
  }

  @Test
  void logs_neverShowTheToken() throws Exception {
    String wrong = "wrong-token-" + System.nanoTime();
    try (AdminRig rig = new AdminRig()) {
      rig.get("/api/recent", AdminRig.TOKEN);
      rig.get("/api/recent", wrong);
      rig.get("/no-such-path", AdminRig.TOKEN);
      login(rig, AdminRig.TOKEN);
      login(rig, wrong);
      rig.post("/api/recent", AdminRig.TOKEN, "{not json");
    }
    String logs = CapturingLogs.text();
    assertTrue(logs.contains("admin GET /api/recent -> 401"), "requests are logged at DEBUG");
    assertTrue(logs.contains("admin login refused"), "the refused login is logged");
    assertFalse(logs.contains(AdminRig.TOKEN), "the token appears in no log line");
    assertFalse(logs.contains(wrong), "nor does a wrong guess");
  }

  @Test
  void healthz_activatesAgainstTheListener_andFailsWhenItIsWedged() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch wedged = new CountDownLatch(1);
    HostListener wedge =
        (RequestEvent e) -> {
          if (e.workstationName().map("wedge"::equals).orElse(false)) {
            wedged.countDown();
            try {
              release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
              Thread.currentThread().interrupt();
            }
          }
        };
    try (AdminRig rig = new AdminRig(b -> {}, wedge)) {
      rig.activate(TestProduct.WINDOWS_11_PRO);
      HttpResponse<String> ok = rig.get("/healthz", null);
      assertEquals(200, ok.statusCode(), ok.body());
      JsonNode body = Exchange.JSON.readTree(ok.body());
      assertEquals("ok", body.get("status").asText());
      assertEquals(1, body.get("currentCount").asInt(), "the probe is answered and not counted");
      assertEquals(
          1, rig.host.currentCount(TestProduct.WINDOWS_11_PRO.applicationId(), rig.host.now()));
      assertEquals(1, rig.requests.total(), "the probe is not a counted request");

      // One request whose listener blocks holds the only event loop: the listener is wedged.
      CompletableFuture<ActivationResult> stuck =
          rig.client.activateAsync(
              rig.target(),
              TestProduct.WINDOWS_11_PRO
                  .request()
                  .randomCmid(new SplittableRandom(5))
                  .workstationName("wedge")
                  .build());
      // Only once the event loop is inside the blocking listener is the listener wedged.
      assertTrue(wedged.await(10, TimeUnit.SECONDS), "the wedging request reached the host");
      long start = System.nanoTime();
      HttpResponse<String> stuckCheck = rig.get("/healthz", null);
      long took = System.nanoTime() - start;
      assertEquals(503, stuckCheck.statusCode(), stuckCheck.body());
      JsonNode failing = Exchange.JSON.readTree(stuckCheck.body());
      assertEquals("failing", failing.get("status").asText());
      assertTrue(failing.get("reason").asText().contains("timed out"), failing.toString());
      assertTrue(took < Duration.ofSeconds(8).toNanos(), "bounded by the health timeout");
      release.countDown();
      stuck.get(10, TimeUnit.SECONDS);
      assertEquals(200, rig.get("/healthz", null).statusCode(), "healthy again once unwedged");

      // A listener that is not listening: 503 without a probe. (Closing the rig's server and
      // probing its port again is not used: on this shared machine another process may bind
      // the freed ephemeral port at once.)
      KmsServer idle =
          KmsServer.builder(rig.host.rpcHandler())
              .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
              .build();
      try (AdminHttpServer notListening =
          AdminHttpServer.builder(rig.host)
              .token(AdminToken.of(AdminRig.TOKEN))
              .server(idle)
              .build()
              .start()) {
        HttpResponse<String> stopped =
            rig.http.send(
                HttpRequest.newBuilder(URI.create(notListening.url() + "healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(503, stopped.statusCode(), stopped.body());
        assertTrue(stopped.body().contains("not listening"), stopped.body());
      }
    } finally {
      release.countDown();
    }
  }

  @Test
  void metrics_parseStrictly_andEqualTheRequestsSent() throws Exception {
    try (AdminRig rig = new AdminRig()) {
      for (int i = 0; i < 5; i++) {
        rig.activate(TestProduct.WINDOWS_11_PRO);
      }
      for (int i = 0; i < 3; i++) {
        rig.activate(TestProduct.OFFICE_LTSC_2021_PRO_PLUS);
      }
      rig.client.activate(
          rig.target(),
          TestProduct.WINDOWS_11_PRO
              .request()
              .randomCmid(new SplittableRandom(9))
              .kmsCountedId(Guid.parse("00000000-1111-2222-3333-444444444444"))
              .build());
      rig.get("/healthz", null); // a probe: never counted
      HttpResponse<String> r = rig.get("/metrics", null);
      assertEquals(200, r.statusCode());
      assertTrue(
          r.headers()
              .firstValue("Content-Type")
              .orElseThrow()
              .startsWith("text/plain; version=0.0.4"));
      Map<String, Family> families = PrometheusText.parse(r.body());

      Family requests = families.get("kmsj_requests_total");
      assertEquals("counter", requests.type());
      assertEquals(8.0, value(requests, "kmsj_requests_total", Map.of("outcome", "OOBGrace")));
      assertEquals(1.0, value(requests, "kmsj_requests_total", Map.of("outcome", "Failed")));
      assertEquals(0.0, value(requests, "kmsj_requests_total", Map.of("outcome", "Licensed")));
      double sum = requests.samples().stream().mapToDouble(PrometheusText.Sample::value).sum();
      assertEquals(9.0, sum);

      Family latency = families.get("kmsj_request_latency_seconds");
      assertEquals("histogram", latency.type());
      assertEquals(9.0, value(latency, "kmsj_request_latency_seconds_count", Map.of()));
      assertEquals(
          9.0, value(latency, "kmsj_request_latency_seconds_bucket", Map.of("le", "+Inf")));

      Family count = families.get("kmsj_current_count");
      assertEquals("gauge", count.type());
      assertEquals(
          5.0,
          value(
              count,
              "kmsj_current_count",
              Map.of("application", TestProduct.WINDOWS_11_PRO.applicationId().toString())));
      assertEquals(
          3.0,
          value(
              count,
              "kmsj_current_count",
              Map.of(
                  "application",
                  TestProduct.OFFICE_LTSC_2021_PRO_PLUS.applicationId().toString())));

      Family accepted = families.get("kmsj_connections_accepted_total");
      assertEquals(
          (double) rig.server.stats().accepted(),
          value(accepted, "kmsj_connections_accepted_total", Map.of()));
      assertTrue(families.containsKey("kmsj_connections_open"));
      assertTrue(families.containsKey("kmsj_store_healthy"));
    }
  }

  @Test
  void parser_rejectsWhatTheFormatForbids() {
    for (String bad :
        List.of(
            "x 1", // no final line feed
            "1x 1\n",
            "x{a=\"1\",a=\"2\"} 1\n",
            "x{a=1} 1\n",
            "x{a=\"\\q\"} 1\n",
            "x one\n",
            "x 1\nx 2\n",
            "# TYPE x counter\n# TYPE x gauge\nx 1\n",
            "x 1\n# TYPE x counter\n",
            "x 1\ny 1\nx{a=\"b\"} 2\n",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1\n",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\nh_sum 1\n",
            "# TYPE c counter\nc -1\n")) {
      assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse(bad), bad);
    }
    assertEquals(
        2.5,
        PrometheusText.parse(
                "# HELP x a \\\\ help\n# TYPE x gauge\nx{a=\"q\\\"\\n\"} 2.5 1700000000\n")
            .get("x")
            .samples()
            .get(0)
            .value());
  }

  private static double value(Family f, String name, Map<String, String> labels) {
    List<PrometheusText.Sample> found = f.find(name, labels);
    assertEquals(1, found.size(), name + labels + " in " + f);
    return found.get(0).value();
  }
}
