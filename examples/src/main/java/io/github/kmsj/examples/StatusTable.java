package io.github.kmsj.examples;

import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.host.RequestCountersSnapshot;
import io.github.kmsj.core.ledger.ClientLedger;
import io.github.kmsj.core.ledger.ClientRecord;
import io.github.kmsj.core.ledger.HostState;
import io.github.kmsj.core.ledger.LedgerState;
import io.github.kmsj.protocol.message.Guid;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** Formats a host's state as the tables {@code kmsj status} prints. */
final class StatusTable {
  private StatusTable() {}

  static String format(
      HostState state,
      Optional<RequestCountersSnapshot> counters,
      ProductCatalog catalog,
      Instant now) {
    return format(state, counters, catalog, now, Integer.MAX_VALUE);
  }

  /** The tables, with at most {@code maxClients} client rows (the most recently seen). */
  static String format(
      HostState state,
      Optional<RequestCountersSnapshot> counters,
      ProductCatalog catalog,
      Instant now,
      int maxClients) {
    StringBuilder b = new StringBuilder();
    b.append("kmsj host status at ").append(now.truncatedTo(ChronoUnit.SECONDS)).append('\n');
    b.append("HWID ").append(state.identity().hwid().toHex().toUpperCase(Locale.ROOT)).append('\n');
    state.identity().ePids().entrySet().stream()
        .sorted(java.util.Map.Entry.comparingByKey())
        .forEach(
            e -> b.append(String.format(Locale.ROOT, "ePID %-20s %s%n", e.getKey(), e.getValue())));
    b.append('\n')
        .append(String.format(Locale.ROOT, "%-50s %6s %9s%n", "application", "count", "capacity"));
    LedgerState ledger = state.ledger();
    for (LedgerState.Application app : ledger.applications()) {
      b.append(
          String.format(
              Locale.ROOT,
              "%-50s %6d %9d%n",
              appName(catalog, app.applicationId()),
              ledger.count(app.applicationId()),
              ClientLedger.capacityFor(app.highestPolicy())));
    }
    counters.ifPresent(
        c ->
            b.append('\n')
                .append(
                    String.format(
                        Locale.ROOT,
                        "requests: total %d, failed %d, licensed %d, unlicensed %d, OOB grace %d, OOT grace %d,"
                            + " non-genuine grace %d, notification %d, extended grace %d%n",
                        c.totalRequests(),
                        c.failedRequests(),
                        c.licensedRequests(),
                        c.unlicensedRequests(),
                        c.oobGraceRequests(),
                        c.ootGraceRequests(),
                        c.nonGenuineGraceRequests(),
                        c.notificationRequests(),
                        c.extendedGraceRequests())));
    b.append('\n')
        .append(
            String.format(
                Locale.ROOT,
                "%-36s  %-28s  %-24s  %-20s  %-20s  %8s%n",
                "cmid",
                "workstation",
                "product",
                "first seen",
                "last seen",
                "requests"));
    state.clients().stream()
        .sorted(Comparator.comparing(ClientRecord::lastSeen).reversed())
        .limit(maxClients)
        .forEach(
            c ->
                b.append(
                    String.format(
                        Locale.ROOT,
                        "%-36s  %-28s  %-24s  %-20s  %-20s  %8d%n",
                        c.cmid(),
                        cut(printable(c.workstationName()), 28),
                        cut(productName(catalog, c.kmsCountedId()), 24),
                        c.firstSeen().truncatedTo(ChronoUnit.SECONDS),
                        c.lastSeen().truncatedTo(ChronoUnit.SECONDS),
                        c.requestCount())));
    if (state.clients().size() > maxClients) {
      b.append("(the ")
          .append(maxClients)
          .append(" most recently seen shown; kmsj export lists every client)\n");
    }
    b.append(state.clients().size()).append(" client record(s)\n");
    return b.toString();
  }

  /**
   * The name with every control character written as {@code \\uXXXX}: a workstation name is chosen
   * by the client and must not forge a row of the table.
   */
  static String printable(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static String appName(ProductCatalog catalog, Guid id) {
    return catalog.application(id).map(a -> a.name()).orElse(id.toString());
  }

  private static String productName(ProductCatalog catalog, Guid id) {
    return catalog.kmsCountedId(id).map(p -> p.name()).orElse(id.toString());
  }

  private static String cut(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }
}
