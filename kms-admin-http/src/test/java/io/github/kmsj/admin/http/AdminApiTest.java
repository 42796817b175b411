package io.github.kmsj.admin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.kmsj.core.admin.HostForecast;
import io.github.kmsj.core.admin.HostView;
import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.ledger.HostState;
import io.github.kmsj.core.store.HostStateExporter;
import io.github.kmsj.core.store.InMemoryHostStore;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.test.TestProduct;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The JSON API over HostAdmin, against a live host on loopback. */
final class AdminApiTest {

  @Test
  void view_equalsTheLibrarysView() throws Exception {
    try (AdminRig rig = new AdminRig()) {
      for (int i = 0; i < 4; i++) {
        rig.activate(TestProduct.WINDOWS_11_PRO);
      }
      rig.activate(TestProduct.OFFICE_LTSC_2021_PRO_PLUS);
      JsonNode v = json(rig.get("/api/view", AdminRig.TOKEN));
      HostView lib = rig.hostAdmin.view();
      assertEquals(lib.hwid(), v.get("hwid").asText());
      assertEquals(lib.port(), v.get("port").asInt());
      assertEquals(rig.server.port(), v.get("port").asInt());
      assertEquals(120, v.get("activationIntervalMinutes").asInt());
      assertEquals(lib.groups().size(), v.get("groups").size());
      assertEquals(lib.groups().get(0).ePid(), v.at("/groups/0/ePid").asText());
      for (HostView.Count c : lib.counts()) {
        JsonNode found = null;
        for (JsonNode n : v.get("counts")) {
          if (n.get("applicationId").asText().equals(c.applicationId().toString())) {
            found = n;
          }
        }
        assertEquals(c.currentCount(), found.get("currentCount").asInt(), c.name());
        assertEquals(c.thresholds().size(), found.get("thresholds").size());
      }
      assertEquals(5, v.at("/requests/KeyManagementServiceTotalRequests").asLong());
      assertEquals(
          rig.counters.snapshot().totalRequests(),
          v.at("/requests/KeyManagementServiceTotalRequests").asLong());
      assertEquals("no store", v.at("/store/mode").asText());
      assertEquals(lib.store().clients(), v.at("/store/clients").asInt());
    }
  }

  @Test
  void sai_overHttp_theNextAnswerCarriesIt_andItIsAudited() throws Exception {
    try (AdminRig rig = new AdminRig()) {
      HttpResponse<String> r =
          rig.post("/api/settings/activation-interval", AdminRig.TOKEN, "{\"value\": 60}");
      assertEquals(200, r.statusCode(), r.body());
      JsonNode answer = Exchange.JSON.readTree(r.body());
      assertEquals(60, answer.at("/settings/activationIntervalMinutes").asInt());
      assertEquals("activation-interval", answer.at("/change/setting").asText());
      assertEquals("120", answer.at("/change/oldValue").asText());
      assertEquals("60", answer.at("/change/newValue").asText());
      assertTrue(
          answer.at("/change/origin").asText().startsWith("http 127.0.0.1"), answer.toString());
      ActivationResult next = rig.activate(TestProduct.WINDOWS_11_PRO);
      assertEquals(
          Duration.ofMinutes(60), ((ActivationResult.BelowThreshold) next).activationInterval());
      JsonNode audit = json(rig.get("/api/audit", AdminRig.TOKEN));
      assertEquals(1, audit.size());

      r = rig.post("/api/settings/renewal-interval", AdminRig.TOKEN, "{\"value\": 1440}");
      assertEquals(200, r.statusCode(), r.body());
      next = rig.activate(TestProduct.WINDOWS_11_PRO);
      assertEquals(Duration.ofDays(1), ((ActivationResult.BelowThreshold) next).renewalInterval());
    }
  }

  @Test
  void changes_withoutTokenOrWithBadValues_changeNothing() throws Exception {
    try (AdminRig rig = new AdminRig()) {
      String before = rig.get("/api/settings", AdminRig.TOKEN).body();
      for (String token : new String[] {null, "nope-nope-nope-nope-nope"}) {
        for (String setting :
            List.of("activation-interval", "renewal-interval", "port", "low-priority")) {
          HttpResponse<String> r = rig.post("/api/settings/" + setting, token, "{\"value\": 30}");
          assertEquals(401, r.statusCode(), setting + " " + r.body());
        }
      }
      String[][] bad = {
        {"activation-interval", "{\"value\": 2}", "400"},
        {"activation-interval", "{\"value\": \"sixty\"}", "400"},
        {"renewal-interval", "{}", "400"},
        {"port", "{\"value\": 70000}", "400"},
        {"low-priority", "{\"value\": 1}", "400"},
        {"activation-interval", "{not json", "400"},
        {"dns-publish", "{\"value\": false}", "409"},
        {"dns-extra", "{\"value\": [\"a.example:1\"]}", "400"},
      };
      for (String[] b : bad) {
        HttpResponse<String> r = rig.post("/api/settings/" + b[0], AdminRig.TOKEN, b[1]);
        assertEquals(Integer.parseInt(b[2]), r.statusCode(), b[0] + " " + b[1] + ": " + r.body());
        JsonNode error = Exchange.JSON.readTree(r.body());
        assertEquals(1, error.get("error").asText().lines().count(), r.body());
      }
      assertEquals(before, rig.get("/api/settings", AdminRig.TOKEN).body(), "nothing changed");
      assertEquals(0, json(rig.get("/api/audit", AdminRig.TOKEN)).size(), "nothing audited");
      assertEquals(
          404, rig.post("/api/settings/colour", AdminRig.TOKEN, "{\"value\": 1}").statusCode());
    }
  }

  @Test
  void clonedImage_flaggedInClientsAndCountedInTheView() throws Exception {
    try (AdminRig rig = new AdminRig()) {
      Guid cloned = Guid.parse("c10e0000-0000-4000-8000-000000000001");
      for (String ws : new String[] {"pc-a.corp.test", "pc-b.corp.test"}) {
        rig.client.activate(
            rig.target(),
            TestProduct.WINDOWS_11_PRO.request().cmid(cloned).workstationName(ws).build());
      }
      rig.activate(TestProduct.WINDOWS_11_PRO, "pc-z.corp.test");
      JsonNode all = json(rig.get("/api/clients", AdminRig.TOKEN));
      int flagged = 0;
      for (JsonNode c : all.get("clients")) {
        boolean clone = c.get("suspectedClone").asBoolean();
        assertEquals(c.get("cmid").asText().equals(cloned.toString()), clone, c.toString());
        flagged += clone ? 1 : 0;
      }
      assertEquals(1, flagged);
      JsonNode view = json(rig.get("/api/view", AdminRig.TOKEN));
      JsonNode windows = null;
      for (JsonNode c : view.get("counts")) {
        if (c.get("applicationId")
            .asText()
            .equals(TestProduct.WINDOWS_11_PRO.applicationId().toString())) {
          windows = c;
        }
      }
      assertEquals(2, windows.get("currentCount").asInt());
      assertEquals(1, windows.get("suspectedClones").asInt());
    }
  }

  @Test
  void clients_jsonCsvAndFilters_andALiveExportImportsWithTheSameCount() throws Exception {
    try (AdminRig rig = new AdminRig()) {
      for (int i = 0; i < 6; i++) {
        rig.activate(TestProduct.WINDOWS_11_PRO, i < 2 ? "LAB-" + i : "office-pc-" + i);
      }
      rig.activate(TestProduct.OFFICE_LTSC_2021_PRO_PLUS, "lab-office");
      JsonNode all = json(rig.get("/api/clients", AdminRig.TOKEN));
      assertEquals(7, all.get("count").asInt());
      assertEquals(7, all.get("clients").size());
      assertTrue(all.at("/clients/0/counted").asBoolean());
      assertEquals(
          3, json(rig.get("/api/clients?workstation=lab", AdminRig.TOKEN)).get("count").asInt());
      Guid office = TestProduct.OFFICE_LTSC_2021_PRO_PLUS.applicationId();
      assertEquals(
          1,
          json(rig.get("/api/clients?application=" + office, AdminRig.TOKEN)).get("count").asInt());
      assertEquals(
          0, json(rig.get("/api/clients?notSeenDays=1", AdminRig.TOKEN)).get("count").asInt());
      rig.time.advance(Duration.ofDays(3));
      assertEquals(
          7, json(rig.get("/api/clients?notSeenDays=2", AdminRig.TOKEN)).get("count").asInt());
      assertEquals(400, rig.get("/api/clients?application=nope", AdminRig.TOKEN).statusCode());
      assertEquals(400, rig.get("/api/clients?notSeenDays=-1", AdminRig.TOKEN).statusCode());

      HttpResponse<String> csv = rig.get("/api/clients?format=csv", AdminRig.TOKEN);
      assertEquals(200, csv.statusCode());
      assertTrue(csv.headers().firstValue("Content-Type").orElseThrow().startsWith("text/csv"));
      List<String> rows = csv.body().lines().toList();
      assertEquals(8, rows.size(), csv.body());
      assertTrue(csv.body().contains("\r\n"), "RFC 4180 line ends");

      HttpResponse<String> export = rig.get("/api/export", AdminRig.TOKEN);
      assertEquals(200, export.statusCode());
      HostState state =
          new HostStateExporter()
              .read(new ByteArrayInputStream(export.body().getBytes(StandardCharsets.UTF_8)));
      InMemoryHostStore store = new InMemoryHostStore();
      new HostStateExporter().importInto(store, state, false);
      try (KmsHost imported =
          KmsHost.builder()
              .time(rig.time)
              .random(new SplittableRandom(3))
              .store(store.reopen())
              .build()) {
        Guid windows = TestProduct.WINDOWS_11_PRO.applicationId();
        assertEquals(
            rig.host.currentCount(windows, rig.host.now()),
            imported.currentCount(windows, imported.now()));
        assertEquals(6, imported.currentCount(windows, imported.now()));
        assertEquals(rig.host.identity(), imported.identity());
      }
    }
  }

  @Test
  void forecast_equalsTheLibrarysAndRefusesABadParameterWithoutAToken() throws Exception {
    try (AdminRig rig = new AdminRig()) {
      for (int i = 0; i < 3; i++) {
        rig.activate(TestProduct.WINDOWS_11_PRO);
      }
      Instant seen = rig.time.instant();
      rig.time.advance(Duration.ofDays(10));
      JsonNode f = json(rig.get("/api/forecast?renewingDays=8&notSeenDays=5", AdminRig.TOKEN));
      HostForecast lib = rig.hostAdmin.forecast(Duration.ofDays(8), Duration.ofDays(5));
      assertEquals(8, f.get("renewingDays").asInt());
      assertEquals(lib.applications().size(), f.get("applications").size());
      JsonNode windows = f.at("/applications/0");
      assertEquals(
          lib.applications().get(0).applicationId().toString(),
          windows.get("applicationId").asText());
      // Three clients seen 10 days ago: still counted, none within the 8 renewing days; 3 is
      // below both of Windows' thresholds already.
      assertEquals(3, windows.get("count").asInt());
      assertEquals(0, windows.get("renewing").asInt());
      assertEquals(2, windows.get("thresholds").size());
      for (JsonNode t : windows.get("thresholds")) {
        assertTrue(t.get("alreadyBelow").asBoolean(), t.toString());
      }
      // Not seen for 10 > 5 days: all three, valid until 180 days after they were seen.
      assertEquals(3, f.get("notSeen").size());
      assertEquals(lib.notSeen().size(), f.get("notSeen").size());
      for (JsonNode n : f.get("notSeen")) {
        assertEquals(seen.plus(Duration.ofDays(180)).toString(), n.get("validUntil").asText());
      }

      HttpResponse<String> bad = rig.get("/api/forecast?renewingDays=-1", AdminRig.TOKEN);
      assertEquals(400, bad.statusCode(), bad.body());
      assertTrue(bad.body().contains("renewingDays"), bad.body());
      assertEquals(401, rig.get("/api/forecast", null).statusCode());
    }
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    assertEquals(200, r.statusCode(), r.body());
    return Exchange.JSON.readTree(r.body());
  }
}
