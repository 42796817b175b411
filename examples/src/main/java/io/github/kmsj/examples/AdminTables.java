package io.github.kmsj.examples;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The human tables of {@code kmsj admin}: the API's JSON laid out as {@code slmgr} would. */
final class AdminTables {
  private AdminTables() {}

  static String dlv(JsonNode v) {
    StringBuilder s = new StringBuilder();
    line(s, "Software", "kmsj host " + v.path("version").asText());
    line(s, "Listening on", join(v.path("listening")));
    line(s, "KMS port", v.path("port").asText());
    line(s, "Host HWID", v.path("hwid").asText());
    line(s, "Activation interval", minutes(v.path("activationIntervalMinutes").asLong()));
    line(s, "Renewal interval", minutes(v.path("renewalIntervalMinutes").asLong()));
    line(s, "KMS priority", v.path("lowPriority").asBoolean() ? "Low" : "Normal");
    line(s, "Priority mode", v.path("priorityMode").asText());
    JsonNode store = v.path("store");
    line(
        s,
        "Store",
        store.path("mode").asText()
            + ", "
            + store.path("health").asText()
            + ", "
            + store.path("clients").asText()
            + " clients"
            + (store.has("journalBytes")
                ? ", journal " + store.path("journalBytes").asText() + " bytes"
                : ""));
    JsonNode cluster = store.path("cluster");
    if (cluster.isObject()) {
      line(
          s,
          "Cluster",
          (cluster.path("databaseReachable").asBoolean()
                  ? "database reachable"
                  : "database unreachable since " + cluster.path("outageSince").asText())
              + ", "
              + cluster.path("localLogChanges").asText()
              + " change(s) in the local log, last commit "
              + cluster.path("lastCommitMillis").asText()
              + " ms");
      for (JsonNode h : cluster.path("hosts")) {
        line(
            s,
            "  host " + h.path("hostId").asText(),
            h.path("requests").asText() + " requests, last seen " + h.path("lastSeen").asText());
      }
    }
    line(s, "Uptime", uptime(v.path("uptimeSeconds").asLong()));
    s.append("\nHost-key groups\n");
    for (JsonNode g : v.path("groups")) {
      s.append("  ")
          .append(g.path("id").asText())
          .append(" (")
          .append(g.path("name").asText())
          .append(")\n");
      s.append("    ePID: ").append(g.path("ePid").asText()).append('\n');
      for (JsonNode p : g.path("products")) {
        s.append("    activates ")
            .append(p.path("name").asText())
            .append(" (minimum ")
            .append(p.path("minimumClients").asText())
            .append(")\n");
      }
    }
    s.append("\nCurrent count\n");
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"APPLICATION", "COUNT", "THRESHOLDS"});
    for (JsonNode c : v.path("counts")) {
      List<String> t = new ArrayList<>();
      c.path("thresholds").forEach(x -> t.add(x.path("count").asText()));
      rows.add(
          new String[] {
            c.path("name").asText(), c.path("currentCount").asText(), String.join(", ", t)
          });
    }
    table(s, rows, "  ");
    s.append("\nKey Management Service cumulative requests received from clients\n");
    v.path("requests")
        .properties()
        .forEach(
            e ->
                s.append("  ")
                    .append(e.getKey())
                    .append(": ")
                    .append(e.getValue().asText())
                    .append('\n'));
    s.append("\nDNS publishing\n");
    JsonNode dns = v.path("dns");
    if (dns.isNull() || dns.isMissingNode()) {
      s.append("  not configured (kmsj host --dns-host)\n");
    } else {
      line(s, "  Publishing", dns.path("enabled").asBoolean() ? "on" : "off");
      line(s, "  Target", dns.path("target").asText() + ":" + dns.path("port").asText());
      line(
          s,
          "  Priority / weight",
          dns.path("priority").asText() + " / " + dns.path("weight").asText());
      for (JsonNode d : dns.path("domains")) {
        s.append("    ")
            .append(d.path("domain").asText())
            .append(" ")
            .append(d.path("priority").asText())
            .append("/")
            .append(d.path("weight").asText())
            .append(d.has("lastResult") ? ": " + d.path("lastResult").asText() : "")
            .append('\n');
      }
      if (dns.has("nextAttempt")) {
        line(s, "  Next attempt", dns.path("nextAttempt").asText());
      }
      if (dns.path("consecutiveFailures").asInt() > 0) {
        line(s, "  Consecutive failures", dns.path("consecutiveFailures").asText());
      }
    }
    return s.toString();
  }

  static String clients(JsonNode body) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"CMID", "WORKSTATION", "APPLICATION", "LAST SEEN", "COUNTED"});
    for (JsonNode c : body.path("clients")) {
      rows.add(
          new String[] {
            c.path("cmid").asText(),
            StatusTable.printable(c.path("workstationName").asText()),
            c.path("applicationName").asText(c.path("applicationId").asText()),
            second(c.path("lastSeen").asText()),
            c.path("counted").asBoolean() ? "yes" : "no"
          });
    }
    StringBuilder s = new StringBuilder();
    table(s, rows, "");
    s.append(body.path("count").asText()).append(" clients\n");
    return s.toString();
  }

  static String audit(JsonNode audit) {
    if (audit.isEmpty()) {
      return "no changes since the host started\n";
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"TIME", "SETTING", "OLD", "NEW", "ORIGIN"});
    for (JsonNode e : audit) {
      rows.add(
          new String[] {
            second(e.path("time").asText()),
            e.path("setting").asText(),
            e.path("oldValue").asText(),
            e.path("newValue").asText(),
            e.path("origin").asText()
          });
    }
    StringBuilder s = new StringBuilder();
    table(s, rows, "");
    return s.toString();
  }

  private static void line(StringBuilder s, String name, String value) {
    s.append(name).append(": ").append(value).append('\n');
  }

  private static String join(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(a -> out.add(a.asText()));
    return out.isEmpty() ? "(not listening)" : String.join(", ", out);
  }

  private static String minutes(long m) {
    return m
        + " minutes"
        + (m % 1440 == 0 ? " (" + Options.minutesText(java.time.Duration.ofMinutes(m)) + ")" : "");
  }

  /** An ISO instant to the second, {@code 2026-12-01T12:05:45Z}. */
  private static String second(String iso) {
    return iso.replaceFirst("\\.\\d+Z$", "Z");
  }

  private static String uptime(long seconds) {
    long d = seconds / 86400;
    long h = seconds % 86400 / 3600;
    long m = seconds % 3600 / 60;
    return (d > 0 ? d + " d " : "") + h + " h " + m + " min";
  }

  private static void table(StringBuilder s, List<String[]> rows, String indent) {
    int[] width = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder(indent);
      for (int i = 0; i < r.length; i++) {
        line.append(r[i]);
        if (i < r.length - 1) {
          line.append(" ".repeat(width[i] - r[i].length() + 2));
        }
      }
      s.append(line.toString().stripTrailing()).append('\n');
    }
  }
}
