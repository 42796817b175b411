package io.github.kmsj.dns.migrate;

import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.HostCandidate;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Turns probe results into the checks of a {@link MigrationReport}. */
final class MigrationChecks {
  private MigrationChecks() {}

  static String role(SrvSurvey.RecordView r, InetSocketAddress oldHost, InetSocketAddress newHost) {
    boolean old = r.pointsAt(oldHost);
    boolean neu = r.pointsAt(newHost);
    return old && neu ? "old and new" : old ? "old" : neu ? "new" : "neither old nor new";
  }

  static String recordText(HostCandidate c) {
    return c.host() + ":" + c.port() + " priority " + c.priority() + " weight " + c.weight();
  }

  static Check records(SrvSurvey s, InetSocketAddress oldHost, InetSocketAddress newHost) {
    List<String> details = new ArrayList<>();
    details.add("query " + s.located().query());
    CheckStatus status = CheckStatus.PASS;
    boolean sawOld = false;
    boolean sawNew = false;
    for (SrvSurvey.RecordView r : s.records()) {
      String role = role(r, oldHost, newHost);
      sawOld |= r.pointsAt(oldHost);
      sawNew |= r.pointsAt(newHost);
      details.add(
          recordText(r.candidate())
              + " ["
              + role
              + "] addresses "
              + (r.addresses().isEmpty()
                  ? "none"
                  : r.addresses().stream()
                      .map(a -> a.getHostAddress())
                      .collect(Collectors.joining(", ")))
              + ", first choice "
              + MigrationCheck.percent(r.share().firstChoice())
              + ", within priority "
              + MigrationCheck.percent(r.share().withinPriority())
              + r.staleReason().map(x -> "; STALE: " + x).orElse(""));
      if (r.isStale()) {
        status = status.worst(CheckStatus.WARN);
      }
    }
    if (s.records().isEmpty()) {
      details.addAll(s.located().attempts());
      return new Check(
          "dns.records",
          CheckStatus.WARN,
          "no _vlmcs._tcp record in " + s.located().query() + ": clients cannot find a host",
          details);
    }
    long stale = s.stale().size();
    String summary =
        s.records().size()
            + " record(s)"
            + (sawOld ? ", old host published" : ", old host not published")
            + (sawNew ? ", new host published" : ", new host not published")
            + (stale > 0
                ? ", "
                    + stale
                    + " stale: "
                    + s.stale().stream()
                        .map(r -> r.candidate().address())
                        .collect(Collectors.joining(", "))
                : ", none stale");
    return new Check("dns.records", status, summary, details);
  }

  static Check reachability(String id, String which, HostProfile p) {
    if (p.connectError().isPresent()) {
      return new Check(
          id,
          CheckStatus.FAIL,
          which + " host " + p.address() + " unreachable: " + p.connectError().get(),
          List.of("TCP connect to " + p.address() + " (Test-NetConnection -Port)"));
    }
    return new Check(
        id,
        CheckStatus.PASS,
        which
            + " host "
            + p.address()
            + " reachable in "
            + HostProber.millis(p.connectTime().get()),
        List.of("TCP connect to " + p.address()));
  }

  static Check host(String id, String which, HostProfile p) {
    List<String> details = new ArrayList<>();
    if (!p.answersKms()) {
      String why =
          p.connectError()
              .orElse(
                  p.cells().isEmpty()
                      ? "no answer"
                      : SrvSurvey.describe(p.cells().get(0).result()));
      return new Check(
          id,
          CheckStatus.FAIL,
          which + " host " + p.address() + " answers no KMS request: " + why,
          details);
    }
    details.add(
        p.uncountedProbe()
            ? "kmsj host: an answer to the probe CMID carried count 0, so the probe is not counted"
            : "counts the probe CMID (not kmsj, or a kmsj host with clients in every application"
                + " probed): the probe is one machine per application there, the same at every"
                + " check");
    details.add("protocol versions: " + MigrationCheck.versionsText(p.versions()));
    details.add("bind: " + MigrationCheck.bindText(p.bind()));
    intervals(p).ifPresent(details::add);
    details.add(
        "clock: "
            + p.clock().offset().map(o -> "offset " + offsetText(o) + " ").orElse("")
            + p.clock().note());
    if (!p.ePids().isEmpty()) {
      details.add(
          "ePID " + p.ePids().get(0) + (p.hwids().isEmpty() ? "" : ", HWID " + p.hwids().get(0)));
    }
    CheckStatus status = CheckStatus.PASS;
    for (HostProfile.ApplicationCount c : p.counts()) {
      List<Integer> below = c.policies().stream().filter(n -> c.count() < n).toList();
      details.add(
          c.name()
              + ": count "
              + c.count()
              + (below.isEmpty()
                  ? ", at or above every N policy " + c.policies()
                  : ", below N " + below + ": those clients are not activated"));
    }
    if (p.clock().offset().filter(o -> o.abs().compareTo(Duration.ofHours(1)) > 0).isPresent()) {
      status = CheckStatus.WARN;
    }
    long granted =
        p.cells().stream().filter(c -> c.outcome() == CoverageMatrix.Outcome.GRANTED).count();
    return new Check(
        id,
        status,
        which
            + " host "
            + p.address()
            + " answers KMS"
            + (p.uncountedProbe() ? " (kmsj)" : "")
            + ", grants "
            + granted
            + " of "
            + p.cells().size()
            + " KMS counted IDs",
        details);
  }

  private static java.util.Optional<String> intervals(HostProfile p) {
    for (ActivationResult r : p.versions().values()) {
      if (r instanceof ActivationResult.Activated a) {
        return java.util.Optional.of(
            "intervals: activation "
                + a.activationInterval().toMinutes()
                + " min, renewal "
                + a.renewalInterval().toMinutes()
                + " min");
      }
      if (r instanceof ActivationResult.BelowThreshold b) {
        return java.util.Optional.of(
            "intervals: activation "
                + b.activationInterval().toMinutes()
                + " min, renewal "
                + b.renewalInterval().toMinutes()
                + " min");
      }
    }
    return java.util.Optional.empty();
  }

  static String offsetText(Duration d) {
    long s = d.getSeconds();
    long a = Math.abs(s);
    return (s < 0 ? "-" : "+")
        + (a >= 3600 ? a / 3600 + " h " : "")
        + (a >= 60 ? a % 3600 / 60 + " min " : "")
        + a % 60
        + " s";
  }

  static Check stability(String id, String which, HostProfile p) {
    if (p.ePids().isEmpty()) {
      return new Check(id, CheckStatus.WARN, which + " host: no answer to compare", List.of());
    }
    Set<String> ePids = MigrationCheck.distinct(p.ePids());
    Set<String> hwids = MigrationCheck.distinct(p.hwids());
    List<String> details = new ArrayList<>();
    details.add(p.ePids().size() + " calls, ePIDs " + String.join(", ", ePids));
    if (!hwids.isEmpty()) {
      details.add("HWIDs " + String.join(", ", hwids));
    }
    boolean stable = ePids.size() == 1 && hwids.size() <= 1;
    return new Check(
        id,
        stable ? CheckStatus.PASS : CheckStatus.WARN,
        stable
            ? which + " host: ePID and HWID stable across " + p.ePids().size() + " calls"
            : which
                + " host: "
                + (ePids.size() > 1 ? "the ePID changes between answers" : "the HWID changes")
                + " ("
                + ePids.size()
                + " ePIDs, "
                + hwids.size()
                + " HWIDs in "
                + p.ePids().size()
                + " calls); a Windows host keeps one per host key",
        details);
  }

  static Check coverage(HostProfile oldP, HostProfile newP, Duration elapsed) {
    Map<String, CoverageMatrix.Cell> newCells = new HashMap<>();
    newP.cells().forEach(c -> newCells.put(c.product().id().toString(), c));
    List<String> lost = new ArrayList<>();
    List<String> details = new ArrayList<>();
    int both = 0;
    List<String> same = new ArrayList<>();
    for (CoverageMatrix.Cell o : oldP.cells()) {
      CoverageMatrix.Cell n = newCells.get(o.product().id().toString());
      String line =
          o.product().name()
              + " ("
              + o.product().id()
              + "): old "
              + cellText(o)
              + ", new "
              + (n == null ? "not probed" : cellText(n));
      boolean differs = n == null || n.outcome() != o.outcome();
      (differs ? details : same).add(line);
      if (o.outcome() == CoverageMatrix.Outcome.GRANTED) {
        if (n == null || n.outcome() != CoverageMatrix.Outcome.GRANTED) {
          lost.add(o.product().name());
        } else {
          both++;
        }
      }
    }
    details.addAll(same);
    String time =
        " ("
            + (oldP.cells().size() + newP.cells().size())
            + " probes in "
            + HostProber.millis(elapsed)
            + ")";
    if (oldP.cells().isEmpty() || newP.cells().isEmpty()) {
      return new Check(
          "coverage",
          CheckStatus.FAIL,
          "coverage not compared: " + (oldP.cells().isEmpty() ? "old" : "new") + " host not probed",
          details);
    }
    if (!lost.isEmpty()) {
      return new Check(
          "coverage",
          CheckStatus.FAIL,
          "the new host refuses "
              + lost.size()
              + " product(s) the old one activates: "
              + String.join(", ", lost)
              + time,
          details);
    }
    return new Check(
        "coverage",
        CheckStatus.PASS,
        "the new host activates every product the old one does (" + both + ")" + time,
        details);
  }

  private static String cellText(CoverageMatrix.Cell c) {
    return c.outcome() == CoverageMatrix.Outcome.FAILED
        ? "failed (" + SrvSurvey.describe(c.result()) + ")"
        : c.outcome().name().toLowerCase(java.util.Locale.ROOT);
  }

  static Check identity(HostProfile oldP, HostProfile newP) {
    Set<String> sharedEpids = MigrationCheck.distinct(oldP.ePids());
    sharedEpids.retainAll(newP.ePids());
    Set<String> sharedHwids = MigrationCheck.distinct(oldP.hwids());
    sharedHwids.retainAll(newP.hwids());
    if (sharedEpids.isEmpty() && sharedHwids.isEmpty()) {
      return new Check(
          "identity", CheckStatus.PASS, "the hosts have different ePIDs and HWIDs", List.of());
    }
    List<String> details = new ArrayList<>();
    sharedEpids.forEach(e -> details.add("same ePID " + e));
    sharedHwids.forEach(h -> details.add("same HWID " + h));
    return new Check(
        "identity",
        CheckStatus.WARN,
        "identity clash: the new host has the old one's "
            + (sharedEpids.isEmpty() ? "HWID" : sharedHwids.isEmpty() ? "ePID" : "ePID and HWID")
            + " (a copied identity: fine for a planned takeover, confusing if both stay up)",
        details);
  }

  static Check order(SrvSurvey s, InetSocketAddress oldHost, InetSocketAddress newHost) {
    List<SrvSurvey.RecordView> order = s.likelyOrder();
    if (order.isEmpty()) {
      return new Check(
          "dns.order", CheckStatus.WARN, "no record to follow: clients find no host", List.of());
    }
    List<String> details = new ArrayList<>();
    int i = 1;
    for (SrvSurvey.RecordView r : order) {
      details.add(
          i++
              + ". "
              + recordText(r.candidate())
              + " ["
              + role(r, oldHost, newHost)
              + "] first choice "
              + MigrationCheck.percent(r.share().firstChoice())
              + (r.isStale() ? ", stale: a client fails over past it" : ""));
    }
    SrvSurvey.RecordView likely =
        order.stream().filter(r -> !r.isStale()).findFirst().orElse(order.get(0));
    double oldShare =
        s.records().stream()
            .filter(r -> r.pointsAt(oldHost))
            .mapToDouble(r -> r.share().firstChoice())
            .sum();
    double newShare =
        s.records().stream()
            .filter(r -> r.pointsAt(newHost))
            .mapToDouble(r -> r.share().firstChoice())
            .sum();
    boolean anyAnswers = order.stream().anyMatch(SrvSurvey.RecordView::answersKms);
    return new Check(
        "dns.order",
        anyAnswers ? CheckStatus.PASS : CheckStatus.FAIL,
        (anyAnswers
                ? "a client following DNS most likely lands on "
                    + likely.candidate().address()
                    + " ["
                    + role(likely, oldHost, newHost)
                    + "]"
                : "no record answers KMS: clients following DNS find no host")
            + "; first choice: old "
            + MigrationCheck.percent(oldShare)
            + ", new "
            + MigrationCheck.percent(newShare),
        details);
  }
}
