package io.github.kmsj.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kmsj.admin.http.Exchange.HttpError;
import io.github.kmsj.core.admin.AdminSettings;
import io.github.kmsj.core.admin.AuditEntry;
import io.github.kmsj.core.admin.ClientCsv;
import io.github.kmsj.core.admin.ClientFilter;
import io.github.kmsj.core.admin.DnsPublishing;
import io.github.kmsj.core.admin.HostAdmin;
import io.github.kmsj.core.admin.HostView;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.ledger.ClientRecord;
import io.github.kmsj.core.ledger.CloneDetection;
import io.github.kmsj.core.ledger.DailyCount;
import io.github.kmsj.protocol.message.Guid;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JSON API over a {@link HostAdmin}: the {@code /dlv} view, the count history, clients (JSON
 * and CSV), the settings and their changes, the audit and a live export. Every JSON shape is
 * written here field by field (docs/ADMIN-HTTP.md lists them), not bound by reflection.
 */
final class AdminApi {
  /** Days of history the page asks for; the most the API returns is the library's 128. */
  static final int MAX_HISTORY_DAYS = 128;

  private final HostAdmin admin;
  private final ProductCatalog catalog;

  AdminApi(HostAdmin admin, ProductCatalog catalog) {
    this.admin = admin;
    this.catalog = catalog;
  }

  void routes(AdminHttpServer server) {
    server.route("GET /api/view", ex -> ex.json(200, view(admin.view())));
    server.route("GET /api/history", this::history);
    server.route("GET /api/clients", this::clients);
    server.route("GET /api/settings", ex -> ex.json(200, settings(admin.settings())));
    server.route("GET /api/audit", ex -> ex.json(200, audit(admin.audit())));
    server.route("GET /api/export", this::export);
    server.route("GET /api/forecast", this::forecast);
    server.route("POST /api/settings/" + HostAdmin.ACTIVATION_INTERVAL, this::change);
    server.route("POST /api/settings/" + HostAdmin.RENEWAL_INTERVAL, this::change);
    server.route("POST /api/settings/" + HostAdmin.PORT, this::change);
    server.route("POST /api/settings/" + HostAdmin.LOW_PRIORITY, this::change);
    server.route("POST /api/settings/" + HostAdmin.DNS_PUBLISH, this::change);
    server.route("POST /api/settings/" + HostAdmin.DNS_PRIORITY, this::change);
    server.route("POST /api/settings/" + HostAdmin.DNS_WEIGHT, this::change);
    server.route("POST /api/settings/" + HostAdmin.DNS_EXTRA, this::change);
  }

  // --- reads ---

  static ObjectNode view(HostView v) {
    ObjectNode o = Exchange.JSON.createObjectNode();
    o.put("version", v.version());
    o.put("time", v.time().toString());
    o.put("startedAt", v.startedAt().toString());
    o.put("uptimeSeconds", v.uptime().toSeconds());
    ArrayNode listening = o.putArray("listening");
    v.listening().forEach(listening::add);
    o.put("port", v.port());
    o.put("hwid", v.hwid());
    o.put("activationIntervalMinutes", v.activationInterval().toMinutes());
    o.put("renewalIntervalMinutes", v.renewalInterval().toMinutes());
    o.put("lowPriority", v.lowPriority());
    o.put("priorityMode", v.priorityMode());
    ArrayNode groups = o.putArray("groups");
    for (HostView.Group g : v.groups()) {
      ObjectNode go = groups.addObject();
      go.put("id", g.id());
      go.put("name", g.name());
      go.put("applicationId", g.applicationId().toString());
      go.put("hostKind", g.hostKind());
      go.put("ePid", g.ePid());
      ArrayNode products = go.putArray("products");
      for (HostView.Product p : g.products()) {
        ObjectNode po = products.addObject();
        po.put("kmsCountedId", p.kmsCountedId().toString());
        po.put("name", p.name());
        po.put("minimumClients", p.minimumClients());
      }
    }
    ArrayNode counts = o.putArray("counts");
    for (HostView.Count c : v.counts()) {
      ObjectNode co = counts.addObject();
      co.put("applicationId", c.applicationId().toString());
      co.put("name", c.name());
      co.put("currentCount", c.currentCount());
      co.put("suspectedClones", c.suspectedClones());
      thresholds(co.putArray("thresholds"), c.thresholds());
    }
    ObjectNode requests = o.putObject("requests");
    v.requests().forEach(requests::put);
    if (v.dns().isPresent()) {
      o.set("dns", dns(v.dns().get()));
    } else {
      o.putNull("dns");
    }
    ObjectNode store = o.putObject("store");
    store.put("mode", v.store().mode());
    store.put("health", v.store().health());
    store.put("clients", v.store().clients());
    store.put("applications", v.store().applications());
    v.store().journalBytes().ifPresent(b -> store.put("journalBytes", b));
    v.store()
        .cluster()
        .ifPresent(
            c -> {
              ObjectNode cl = store.putObject("cluster");
              cl.put("databaseReachable", c.databaseReachable());
              cl.put("outageSince", c.outageSince().map(Instant::toString).orElse(null));
              cl.put("localLogChanges", c.localLogChanges());
              cl.put("lastCommitMillis", c.lastCommitLatency().toNanos() / 1e6);
              cl.put("meanCommitMillis", c.meanCommitLatency().toNanos() / 1e6);
              ArrayNode hosts = cl.putArray("hosts");
              for (var h : c.hosts()) {
                ObjectNode row = hosts.addObject();
                row.put("hostId", h.hostId());
                row.put("lastSeen", h.lastSeen().toString());
                row.put("requests", h.requests());
              }
            });
    o.set("audit", audit(v.audit()));
    return o;
  }

  private static void thresholds(ArrayNode out, List<Integer> thresholds) {
    for (int t : thresholds) {
      ObjectNode to = out.addObject();
      to.put("count", t);
      to.put("label", "N " + t);
    }
  }

  static ObjectNode dns(DnsPublishing.State s) {
    ObjectNode o = Exchange.JSON.createObjectNode();
    o.put("enabled", s.enabled());
    o.put("target", s.target());
    o.put("port", s.port());
    o.put("priority", s.priority());
    o.put("weight", s.weight());
    domains(o.putArray("extraDomains"), s.extraDomains());
    ArrayNode domains = o.putArray("domains");
    for (DnsPublishing.Domain d : s.domains()) {
      ObjectNode d0 = domains.addObject();
      d0.put("domain", d.domain());
      d0.put("priority", d.priority());
      d0.put("weight", d.weight());
      s.lastResults().stream()
          .filter(r -> r.domain().equals(d.domain()))
          .reduce((a, b) -> b)
          .ifPresent(
              r ->
                  d0.put(
                      "lastResult",
                      r.operation() + " " + (r.success() ? "ok" : "failed") + " at " + r.time()));
    }
    ArrayNode results = o.putArray("lastResults");
    for (DnsPublishing.Result r : s.lastResults()) {
      ObjectNode ro = results.addObject();
      ro.put("domain", r.domain());
      ro.put("operation", r.operation());
      ro.put("success", r.success());
      ro.put("detail", r.detail());
      ro.put("time", r.time().toString());
    }
    s.nextAttempt().ifPresent(t -> o.put("nextAttempt", t.toString()));
    o.put("consecutiveFailures", s.consecutiveFailures());
    return o;
  }

  private static void domains(ArrayNode out, List<DnsPublishing.Domain> domains) {
    for (DnsPublishing.Domain d : domains) {
      ObjectNode o = out.addObject();
      o.put("domain", d.domain());
      o.put("priority", d.priority());
      o.put("weight", d.weight());
    }
  }

  static ArrayNode audit(List<AuditEntry> audit) {
    ArrayNode out = Exchange.JSON.createArrayNode();
    for (AuditEntry e : audit) {
      ObjectNode o = out.addObject();
      o.put("time", e.time().toString());
      o.put("setting", e.setting());
      o.put("oldValue", e.oldValue());
      o.put("newValue", e.newValue());
      o.put("origin", e.origin());
    }
    return out;
  }

  static ObjectNode settings(AdminSettings s) {
    ObjectNode o = Exchange.JSON.createObjectNode();
    o.put("activationIntervalMinutes", s.activationInterval().toMinutes());
    o.put("renewalIntervalMinutes", s.renewalInterval().toMinutes());
    if (s.port().isPresent()) {
      o.put("port", s.port().get());
    } else {
      o.putNull("port");
    }
    o.put("lowPriority", s.lowPriority());
    if (s.dns().isPresent()) {
      ObjectNode d = o.putObject("dns");
      d.put("enabled", s.dns().get().enabled());
      d.put("priority", s.dns().get().priority());
      d.put("weight", s.dns().get().weight());
      domains(d.putArray("extraDomains"), s.dns().get().extraDomains());
    } else {
      o.putNull("dns");
    }
    return o;
  }

  /**
   * {@code GET /api/history?days=N}: per application, the highest count of each UTC day of the last
   * N days (default 90) on which a request was counted, with the thresholds.
   */
  private void history(Exchange ex) throws IOException {
    int days = intParam(ex, "days", 90, 1, MAX_HISTORY_DAYS);
    HostView v = admin.view();
    LocalDate to = LocalDate.ofInstant(v.time(), ZoneOffset.UTC);
    LocalDate from = to.minusDays(days - 1L);
    ObjectNode o = Exchange.JSON.createObjectNode();
    o.put("days", days);
    o.put("from", from.toString());
    o.put("to", to.toString());
    ArrayNode apps = o.putArray("applications");
    for (HostView.Count c : v.counts()) {
      ObjectNode a = apps.addObject();
      a.put("applicationId", c.applicationId().toString());
      a.put("name", c.name());
      a.put("currentCount", c.currentCount());
      thresholds(a.putArray("thresholds"), c.thresholds());
      ArrayNode points = a.putArray("points");
      for (DailyCount d : c.history()) {
        if (!d.day().isBefore(from) && !d.day().isAfter(to)) {
          ObjectNode p = points.addObject();
          p.put("date", d.day().toString());
          p.put("count", d.highestCount());
        }
      }
    }
    ex.json(200, o);
  }

  /**
   * {@code GET /api/clients[?application=GUID][&notSeenDays=N][&workstation=TEXT][&format=csv]}:
   * every client record, no cap, least recently seen first.
   */
  private void clients(Exchange ex) throws IOException {
    ClientFilter filter = ClientFilter.ALL;
    Optional<String> application = ex.query("application");
    if (application.isPresent()) {
      filter = filter.application(application(application.get()));
    }
    if (ex.query("notSeenDays").isPresent()) {
      filter = filter.notSeenFor(Duration.ofDays(intParam(ex, "notSeenDays", 0, 0, 36_500)));
    }
    Optional<String> workstation = ex.query("workstation");
    if (workstation.isPresent()) {
      filter = filter.workstation(workstation.get());
    }
    List<ClientRecord> clients = admin.clients(filter);
    String format = ex.query("format").orElse("json");
    if (format.equals("csv")) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream(clients.size() * 160 + 256);
      try (Writer w = new OutputStreamWriter(buf, StandardCharsets.UTF_8)) {
        ClientCsv.write(clients, catalog, w);
      }
      ex.http
          .getResponseHeaders()
          .set("Content-Disposition", "attachment; filename=\"clients.csv\"");
      ex.send(200, "text/csv; charset=utf-8", buf.toByteArray());
      return;
    }
    if (!format.equals("json")) {
      throw new HttpError(400, "format must be json or csv: " + format);
    }
    Instant now = admin.view().time();
    ObjectNode o = Exchange.JSON.createObjectNode();
    o.put("count", clients.size());
    ArrayNode out = o.putArray("clients");
    for (ClientRecord c : clients) {
      ObjectNode row = client(c, now);
      catalog.application(c.applicationId()).ifPresent(a -> row.put("applicationName", a.name()));
      out.add(row);
    }
    ex.json(200, o);
  }

  static ObjectNode client(ClientRecord c, Instant now) {
    ObjectNode o = Exchange.JSON.createObjectNode();
    o.put("cmid", c.cmid().toString());
    o.put("applicationId", c.applicationId().toString());
    o.put("workstationName", c.workstationName());
    o.put("skuId", c.skuId().toString());
    o.put("kmsCountedId", c.kmsCountedId().toString());
    o.put("licenseStatus", c.licenseStatus().displayName());
    o.put("requiredClientCount", c.requiredClientCount());
    c.remote().ifPresent(r -> o.put("remote", r.getAddress().getHostAddress()));
    o.put("firstSeen", c.firstSeen().toString());
    o.put("lastSeen", c.lastSeen().toString());
    o.put("requestCount", c.requestCount());
    o.put("inCount", c.inCount());
    o.put("counted", c.inCount() && c.lastSeen().isAfter(now.minus(Duration.ofDays(30))));
    o.put("suspectedClone", CloneDetection.isClone(c, now, CloneDetection.DEFAULT_WINDOW));
    ArrayNode names = o.putArray("workstationNames");
    c.workstationNames().forEach(names::add);
    ArrayNode addresses = o.putArray("addresses");
    c.addresses().forEach(a -> addresses.add(a.getHostAddress()));
    return o;
  }

  /**
   * {@code GET /api/forecast[?renewingDays=N][&notSeenDays=M]}: per application, the day its count
   * falls below each threshold if no new machine arrives and only the clients seen within N days
   * (default 8) keep renewing; the clients not seen for M days (default 30); the suspected clones.
   */
  private void forecast(Exchange ex) throws IOException {
    int renewing = intParam(ex, "renewingDays", 8, 0, 180);
    int notSeen = intParam(ex, "notSeenDays", 30, 0, 36_500);
    ex.json(
        200,
        ForecastJson.write(
            admin.forecast(Duration.ofDays(renewing), Duration.ofDays(notSeen)), catalog));
  }

  private void export(Exchange ex) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(1 << 16);
    admin.export(buf);
    ex.http
        .getResponseHeaders()
        .set("Content-Disposition", "attachment; filename=\"kmsj-export.json\"");
    ex.send(200, "application/json; charset=utf-8", buf.toByteArray());
  }

  // --- changes ---

  /**
   * {@code POST /api/settings/NAME} with {@code {"value": V}}: one change, audited with the
   * caller's address as its origin; answers the new settings.
   */
  private void change(Exchange ex) throws IOException {
    String setting = ex.path().substring("/api/settings/".length());
    JsonNode body = ex.jsonBody();
    JsonNode value = body.get("value");
    if (value == null || value.isNull()) {
      throw new HttpError(400, "the body must be {\"value\": ...} for " + setting);
    }
    String origin = "http " + ex.http.getRemoteAddress().getAddress().getHostAddress();
    try {
      switch (setting) {
        case HostAdmin.ACTIVATION_INTERVAL ->
            admin.setActivationInterval(Duration.ofMinutes(integer(value, setting)), origin);
        case HostAdmin.RENEWAL_INTERVAL ->
            admin.setRenewalInterval(Duration.ofMinutes(integer(value, setting)), origin);
        case HostAdmin.PORT -> admin.setPort((int) integer(value, setting), origin);
        case HostAdmin.LOW_PRIORITY -> admin.setLowPriority(bool(value, setting), origin);
        case HostAdmin.DNS_PUBLISH -> admin.setDnsPublishing(bool(value, setting), origin);
        case HostAdmin.DNS_PRIORITY -> admin.setDnsPriority((int) integer(value, setting), origin);
        case HostAdmin.DNS_WEIGHT -> admin.setDnsWeight((int) integer(value, setting), origin);
        case HostAdmin.DNS_EXTRA -> admin.setDnsExtraDomains(domainList(value), origin);
        default -> throw new HttpError(404, "no such setting: " + setting);
      }
    } catch (IllegalStateException e) {
      throw new HttpError(409, e.getMessage());
    }
    ObjectNode o = Exchange.JSON.createObjectNode();
    o.set("settings", settings(admin.settings()));
    List<AuditEntry> audit = admin.audit();
    if (!audit.isEmpty()) {
      o.set("change", audit(audit.subList(audit.size() - 1, audit.size())).get(0));
    }
    ex.json(200, o);
  }

  private static long integer(JsonNode v, String setting) {
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new HttpError(400, setting + " wants a whole number: " + v);
    }
    long n = v.asLong();
    if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
      throw new HttpError(400, setting + " is out of range: " + v);
    }
    return n;
  }

  private static boolean bool(JsonNode v, String setting) {
    if (!v.isBoolean()) {
      throw new HttpError(400, setting + " wants true or false: " + v);
    }
    return v.asBoolean();
  }

  /** {@code [{"domain": D, "priority": P, "weight": W}, ...]} or {@code ["D:P:W", ...]}. */
  private static List<DnsPublishing.Domain> domainList(JsonNode v) {
    if (!v.isArray()) {
      throw new HttpError(400, HostAdmin.DNS_EXTRA + " wants a list of domains: " + v);
    }
    List<DnsPublishing.Domain> out = new ArrayList<>();
    for (JsonNode d : v) {
      if (d.isTextual()) {
        String[] parts = d.asText().split(":", -1);
        if (parts.length != 3) {
          throw new HttpError(
              400, HostAdmin.DNS_EXTRA + " entries are DOMAIN:PRIORITY:WEIGHT: " + d.asText());
        }
        try {
          out.add(
              new DnsPublishing.Domain(
                  parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2])));
        } catch (NumberFormatException e) {
          throw new HttpError(
              400, HostAdmin.DNS_EXTRA + " priority and weight are numbers: " + d.asText());
        }
      } else if (d.isObject() && d.hasNonNull("domain")) {
        out.add(
            new DnsPublishing.Domain(
                d.get("domain").asText(),
                (int) integer(d.path("priority"), "priority"),
                (int) integer(d.path("weight"), "weight")));
      } else {
        throw new HttpError(400, HostAdmin.DNS_EXTRA + " entries are objects or DOMAIN:P:W: " + d);
      }
    }
    return out;
  }

  private static Guid application(String text) {
    try {
      return Guid.parse(text);
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, "application must be a GUID: " + text);
    }
  }

  private static int intParam(Exchange ex, String name, int dflt, int min, int max) {
    Optional<String> v = ex.query(name);
    if (v.isEmpty()) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.get());
      if (n < min || n > max) {
        throw new HttpError(400, name + " must be " + min + "-" + max + ": " + v.get());
      }
      return n;
    } catch (NumberFormatException e) {
      throw new HttpError(400, name + " must be a whole number: " + v.get());
    }
  }
}
