package io.github.kmsj.examples;

import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.StageTimings;
import java.time.Duration;
import java.util.Locale;

/** One-line summaries of activation results, with the stage latencies. */
final class ResultFormat {
  private ResultFormat() {}

  static String summary(ActivationResult result) {
    if (result instanceof ActivationResult.Activated a) {
      return String.format(
          Locale.ROOT,
          "activated: count %d >= N %d from %s, ePID %s%s; %s",
          a.currentClientCount(),
          a.requiredClientCount(),
          a.host(),
          a.ePid(),
          a.hwid().map(h -> ", HWID " + h.toHex().toUpperCase(Locale.ROOT)).orElse(""),
          timings(a.timings()));
    }
    if (result instanceof ActivationResult.BelowThreshold b) {
      return String.format(
          Locale.ROOT,
          "below threshold: count %d < N %d from %s (%s), retry in %d min; %s",
          b.currentClientCount(),
          b.requiredClientCount(),
          b.host(),
          b.hresult(),
          b.activationInterval().toMinutes(),
          timings(b.timings()));
    }
    if (result instanceof ActivationResult.Refused r) {
      return String.format(
          Locale.ROOT,
          "refused by %s: %s (%s); %s",
          r.host(),
          r.hresult(),
          r.meaning(),
          timings(r.timings()));
    }
    if (result instanceof ActivationResult.NoHostFound n) {
      return "no KMS host found for "
          + n.query()
          + ": tried "
          + String.join("; ", n.attempts())
          + n.error().map(e -> "; " + e.getMessage()).orElse("")
          + "; "
          + timings(n.timings());
    }
    ActivationResult.TransportFailure f = (ActivationResult.TransportFailure) result;
    String detail = f.failedChecks().isEmpty() ? "" : " failed checks " + f.failedChecks();
    String fault = f.faultStatus().map(s -> " RPC fault " + s).orElse("");
    return String.format(
        Locale.ROOT,
        "failed at %s with %s: %s%s%s; %s",
        f.stage(),
        f.host(),
        f.message(),
        detail,
        fault,
        timings(f.timings()));
  }

  static String details(ActivationResult result) {
    if (result instanceof ActivationResult.Activated a) {
      return "  ePID parts: "
          + a.epid()
              .map(
                  e ->
                      String.format(
                          Locale.ROOT,
                          "platform %05d, group %d, key id %09d, LCID %d, build %d, activated %s",
                          e.platformId(),
                          e.groupId(),
                          e.keyId(),
                          e.lcid(),
                          e.build(),
                          e.activationDate()))
              .orElse("(not a well-formed ePID)")
          + String.format(
              Locale.ROOT,
              "%n  intervals: activation %d min, renewal %d min",
              a.activationInterval().toMinutes(),
              a.renewalInterval().toMinutes());
    }
    return "";
  }

  static String timings(StageTimings t) {
    return String.format(
        Locale.ROOT,
        "dns %s, connect %s, bind %s, request %s, total %s",
        ms(t.dns()),
        ms(t.connect()),
        ms(t.bind()),
        ms(t.request()),
        ms(t.total()));
  }

  private static String ms(Duration d) {
    return String.format(Locale.ROOT, "%.2f ms", d.toNanos() / 1e6);
  }
}
