package io.github.kmsj.examples;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.kmsj.core.catalog.EpidReading;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.StageTimings;
import io.github.kmsj.core.time.Scheduler;
import io.github.kmsj.protocol.message.Epid;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
          HostAddresses.display(a.host()),
          a.ePid(),
          a.hwid().map(h -> ", HWID " + h.toHex().toUpperCase(Locale.ROOT)).orElse(""),
          timings(a.timings()));
    }
    if (result instanceof ActivationResult.BelowThreshold b) {
      return String.format(
          Locale.ROOT,
          "below threshold: count %d < N %d from %s (%s), retry in %s; %s",
          b.currentClientCount(),
          b.requiredClientCount(),
          HostAddresses.display(b.host()),
          b.hresult(),
          Options.minutesText(b.activationInterval()),
          timings(b.timings()));
    }
    if (result instanceof ActivationResult.Refused r) {
      return String.format(
          Locale.ROOT,
          "refused by %s: %s (%s); %s",
          HostAddresses.display(r.host()),
          r.hresult(),
          r.meaning(),
          timings(r.timings()));
    }
    if (result instanceof ActivationResult.NoHostFound n) {
      return "no KMS host found for "
          + n.query()
          + ": tried "
          + String.join("; ", n.attempts())
          + n.error().map(e -> "; " + Kmsj.describe(e)).orElse("")
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
        HostAddresses.display(f.host()),
        f.message(),
        detail,
        fault,
        timings(f.timings()));
  }

  static String details(ActivationResult result) {
    String ePid;
    java.time.Duration activation;
    java.time.Duration renewal;
    if (result instanceof ActivationResult.Activated a) {
      ePid = a.ePid();
      activation = a.activationInterval();
      renewal = a.renewalInterval();
    } else if (result instanceof ActivationResult.BelowThreshold b) {
      ePid = b.response().response().base().ePid();
      activation = b.activationInterval();
      renewal = b.renewalInterval();
    } else {
      return "";
    }
    return "  ePID parts: "
        + Epid.tryParse(ePid)
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
                            e.activationDate())
                        + groups(e))
            .orElse("(not a well-formed ePID: " + ePid + ")")
        + String.format(
            Locale.ROOT,
            "%n  intervals: activation %s, renewal %s",
            Options.minutesText(activation),
            Options.minutesText(renewal));
  }

  /** The host-key groups an ePID maps to, as {@code "; host-key group windows-server-2019"}. */
  private static String groups(Epid e) {
    EpidReading r =
        EpidReading.read(
            ProductCatalog.builtIn(),
            e,
            LocalDate.ofInstant(Scheduler.system().instant(), ZoneOffset.UTC));
    return "; host-key group "
        + (r.groups().isEmpty()
            ? "unknown"
            : String.join(", ", r.groups().stream().map(g -> g.id()).toList()))
        + (r.isPlausible()
            ? ""
            : " (implausible: "
                + String.join(
                    ", ", r.checks().stream().filter(c -> !c.passed()).map(c -> c.name()).toList())
                + ")");
  }

  /** One result as a JSON object; absent facts are {@code null}, never left out. */
  static void writeJson(JsonGenerator g, int n, ActivationResult result) throws IOException {
    g.writeStartObject();
    g.writeNumberField("n", n);
    String outcome =
        result instanceof ActivationResult.Activated
            ? "activated"
            : result instanceof ActivationResult.BelowThreshold
                ? "belowThreshold"
                : result instanceof ActivationResult.Refused
                    ? "refused"
                    : result instanceof ActivationResult.NoHostFound ? "noHostFound" : "failed";
    g.writeStringField("outcome", outcome);
    g.writeStringField("hresult", String.format(Locale.ROOT, "0x%08X", result.hresult().value()));
    g.writeStringField("meaning", result.hresult().meaning());
    String host = null;
    Integer count = null;
    Integer required = null;
    Duration activation = null;
    Duration renewal = null;
    String epid = null;
    String hwid = null;
    if (result instanceof ActivationResult.Activated a) {
      host = a.host();
      count = a.currentClientCount();
      required = a.requiredClientCount();
      activation = a.activationInterval();
      renewal = a.renewalInterval();
      epid = a.ePid();
      hwid = a.hwid().map(h -> h.toHex().toUpperCase(Locale.ROOT)).orElse(null);
    } else if (result instanceof ActivationResult.BelowThreshold b) {
      host = b.host();
      count = b.currentClientCount();
      required = b.requiredClientCount();
      activation = b.activationInterval();
      renewal = b.renewalInterval();
    } else if (result instanceof ActivationResult.Refused r) {
      host = r.host();
    } else if (result instanceof ActivationResult.TransportFailure f) {
      host = f.host();
    }
    g.writeStringField("host", host == null ? null : HostAddresses.display(host));
    writeInt(g, "currentClientCount", count);
    writeInt(g, "requiredClientCount", required);
    writeLong(g, "activationIntervalMinutes", activation == null ? null : activation.toMinutes());
    writeLong(g, "renewalIntervalMinutes", renewal == null ? null : renewal.toMinutes());
    g.writeStringField("ePid", epid);
    g.writeStringField("hwid", hwid);
    if (result instanceof ActivationResult.TransportFailure f) {
      g.writeStringField("stage", f.stage().name());
      g.writeStringField("message", f.message());
    } else if (result instanceof ActivationResult.NoHostFound h) {
      g.writeStringField("stage", "DNS");
      g.writeStringField(
          "message",
          h.query()
              + ": tried "
              + String.join("; ", h.attempts())
              + h.error().map(e -> "; " + Kmsj.describe(e)).orElse(""));
    } else {
      g.writeNullField("stage");
      g.writeNullField("message");
    }
    StageTimings t = result.timings();
    g.writeObjectFieldStart("timingsMs");
    g.writeNumberField("dns", t.dns().toNanos() / 1e6);
    g.writeNumberField("connect", t.connect().toNanos() / 1e6);
    g.writeNumberField("bind", t.bind().toNanos() / 1e6);
    g.writeNumberField("request", t.request().toNanos() / 1e6);
    g.writeNumberField("total", t.total().toNanos() / 1e6);
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void writeInt(JsonGenerator g, String name, Integer v) throws IOException {
    if (v == null) {
      g.writeNullField(name);
    } else {
      g.writeNumberField(name, v);
    }
  }

  private static void writeLong(JsonGenerator g, String name, Long v) throws IOException {
    if (v == null) {
      g.writeNullField(name);
    } else {
      g.writeNumberField(name, v);
    }
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
