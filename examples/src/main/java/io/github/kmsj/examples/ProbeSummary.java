package io.github.kmsj.examples;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.kmsj.core.client.ActivationResult;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;

/**
 * What {@code kmsj probe --requests N} saw: answers by kind and the latency of every exchange that
 * got an answer (activated, below threshold or refused).
 */
final class ProbeSummary {
  private final long[] latencyNanos;
  private int latencies;
  private int requests;
  private int activated;
  private int belowThreshold;
  private int refused;
  private int noHost;
  private int transport;
  private int exitStatus = Kmsj.OK;

  ProbeSummary(int expected) {
    latencyNanos = new long[expected];
  }

  void add(ActivationResult result) {
    requests++;
    if (result instanceof ActivationResult.Activated) {
      activated++;
    } else if (result instanceof ActivationResult.BelowThreshold) {
      belowThreshold++;
    } else if (result instanceof ActivationResult.Refused) {
      refused++;
    } else if (result instanceof ActivationResult.NoHostFound) {
      noHost++;
    } else {
      transport++;
    }
    boolean answered =
        !(result instanceof ActivationResult.NoHostFound
            || result instanceof ActivationResult.TransportFailure);
    if (answered && latencies < latencyNanos.length) {
      latencyNanos[latencies++] = result.timings().total().toNanos();
    }
    exitStatus = Math.max(exitStatus, ProbeCommand.exitStatus(result));
  }

  int exitStatus() {
    return exitStatus;
  }

  /** The latency at quantile {@code q} (nearest rank), in milliseconds; NaN without answers. */
  double percentileMillis(double q) {
    if (latencies == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(latencyNanos, latencies);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, rank - 1)] / 1e6;
  }

  String text() {
    return String.format(
        Locale.ROOT,
        "summary: %d requests, %d answered (%d activated, %d below threshold), %d refused,"
            + " %d failed (%d no host, %d transport); latency p50 %s, p99 %s",
        requests,
        activated + belowThreshold,
        activated,
        belowThreshold,
        refused,
        noHost + transport,
        noHost,
        transport,
        ms(percentileMillis(0.50)),
        ms(percentileMillis(0.99)));
  }

  void writeJson(JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeNumberField("requests", requests);
    g.writeNumberField("answered", activated + belowThreshold);
    g.writeNumberField("activated", activated);
    g.writeNumberField("belowThreshold", belowThreshold);
    g.writeNumberField("refused", refused);
    g.writeNumberField("failed", noHost + transport);
    g.writeNumberField("noHostFound", noHost);
    g.writeNumberField("transportFailure", transport);
    writeMillis(g, "latencyP50Ms", percentileMillis(0.50));
    writeMillis(g, "latencyP99Ms", percentileMillis(0.99));
    g.writeNumberField("exitStatus", exitStatus);
    g.writeEndObject();
  }

  private static void writeMillis(JsonGenerator g, String name, double ms) throws IOException {
    if (Double.isNaN(ms)) {
      g.writeNullField(name);
    } else {
      g.writeNumberField(name, Math.round(ms * 1000) / 1000.0);
    }
  }

  private static String ms(double ms) {
    return Double.isNaN(ms) ? "n/a" : String.format(Locale.ROOT, "%.2f ms", ms);
  }
}
