package io.github.kmsj.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A run as files a person opens: {@code series.csv} (one row per sample), {@code result.json} (the
 * whole result), {@code summary.json}, and three plots: {@code counts.svg} (each host's count per
 * application over time with its thresholds), {@code states.svg} (clients by licence state,
 * stacked) and {@code requests.svg} (requests per host per sample).
 */
public final class ResultFiles {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ResultFiles() {}

  /**
   * Writes every file into {@code dir}, creating it.
   *
   * @return the files written
   * @throws UncheckedIOException if a file cannot be written
   */
  public static List<Path> write(SimulationResult r, Path dir) {
    try {
      Files.createDirectories(dir);
      List<Path> out = new ArrayList<>();
      out.add(write(dir.resolve("series.csv"), csv(r)));
      out.add(write(dir.resolve("result.json"), json(r)));
      out.add(write(dir.resolve("summary.json"), JSON.writeValueAsString(r.summary()) + "\n"));
      out.add(write(dir.resolve("counts.svg"), countsSvg(r)));
      out.add(write(dir.resolve("states.svg"), statesSvg(r)));
      out.add(write(dir.resolve("requests.svg"), requestsSvg(r)));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path write(Path file, String text) throws IOException {
    return Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  /** The whole result as JSON. */
  public static String json(SimulationResult r) {
    try {
      return JSON.writeValueAsString(r) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The series as CSV: {@code day}, the client states, then per host {@code HOST_up}, {@code
   * HOST_APP_count} for each application, {@code HOST_requests}, {@code HOST_dependents}.
   */
  public static String csv(SimulationResult r) {
    StringBuilder b =
        new StringBuilder("day,clients,licensed,oob_grace,oot_grace,notification,unlicensed");
    for (String h : r.hosts()) {
      b.append(',').append(h).append("_up");
      for (Application a : r.applications()) {
        b.append(',').append(h).append('_').append(a.key()).append("_count");
      }
      b.append(',').append(h).append("_requests,").append(h).append("_dependents");
    }
    b.append('\n');
    for (Sample s : r.samples()) {
      b.append(day(s.day()))
          .append(',')
          .append(s.clients())
          .append(',')
          .append(s.licensed())
          .append(',')
          .append(s.oobGrace())
          .append(',')
          .append(s.ootGrace())
          .append(',')
          .append(s.notification())
          .append(',')
          .append(s.unlicensed());
      for (Sample.HostSample h : s.hosts()) {
        b.append(',').append(h.up() ? 1 : 0);
        h.counts().forEach(c -> b.append(',').append(c));
        b.append(',').append(h.requests()).append(',').append(h.dependents());
      }
      b.append('\n');
    }
    return b.toString();
  }

  private static String day(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.format(Locale.ROOT, "%.4f", d);
  }

  private static double[] days(SimulationResult r) {
    return r.samples().stream().mapToDouble(Sample::day).toArray();
  }

  /** Each host's count per application over time, with a dashed line per N threshold. */
  public static String countsSvg(SimulationResult r) {
    List<SvgChart.Series> series = new ArrayList<>();
    int colour = 0;
    for (int h = 0; h < r.hosts().size(); h++) {
      for (int a = 0; a < r.applications().size(); a++) {
        int hh = h;
        int aa = a;
        double[] y =
            r.samples().stream().mapToDouble(s -> s.hosts().get(hh).counts().get(aa)).toArray();
        series.add(
            new SvgChart.Series(
                r.hosts().get(h) + " " + r.applications().get(a).key(),
                SvgChart.PALETTE.get(colour++ % SvgChart.PALETTE.size()),
                y));
      }
    }
    // One line per value: Windows Server and Office both need 5.
    java.util.Map<Integer, List<String>> byValue = new java.util.TreeMap<>();
    for (Application a : r.applications()) {
      for (int n : a.thresholds()) {
        byValue.computeIfAbsent(n, k -> new ArrayList<>()).add(a.key());
      }
    }
    List<SvgChart.Threshold> thresholds = new ArrayList<>();
    byValue.forEach(
        (n, keys) ->
            thresholds.add(new SvgChart.Threshold(String.join(", ", keys) + " N=" + n, n)));
    return SvgChart.lines(
        r.name() + ": count per host and application", "count", days(r), series, thresholds);
  }

  /** Clients by licence state, stacked. */
  public static String statesSvg(SimulationResult r) {
    List<SvgChart.Series> layers =
        List.of(
            layer(r, "licensed", "#009E73", Sample::licensed),
            layer(r, "out-of-box grace", "#56B4E9", Sample::oobGrace),
            layer(r, "out-of-tolerance grace", "#E69F00", Sample::ootGrace),
            layer(r, "notification", "#D55E00", Sample::notification),
            layer(r, "unlicensed", "#000000", Sample::unlicensed));
    return SvgChart.stacked(r.name() + ": clients by licence state", "clients", days(r), layers);
  }

  /** Requests each host received per sampling interval. */
  public static String requestsSvg(SimulationResult r) {
    List<SvgChart.Series> series = new ArrayList<>();
    for (int h = 0; h < r.hosts().size(); h++) {
      int hh = h;
      series.add(
          new SvgChart.Series(
              r.hosts().get(h),
              SvgChart.PALETTE.get(h % SvgChart.PALETTE.size()),
              r.samples().stream().mapToDouble(s -> s.hosts().get(hh).requests()).toArray()));
    }
    String per = r.sampleMinutes() == 1440 ? "day" : r.sampleMinutes() + " min";
    return SvgChart.lines(
        r.name() + ": requests per host per " + per, "requests", days(r), series, List.of());
  }

  private static SvgChart.Series layer(
      SimulationResult r, String name, String colour, java.util.function.ToIntFunction<Sample> f) {
    return new SvgChart.Series(
        name, colour, r.samples().stream().mapToDouble(s -> f.applyAsInt(s)).toArray());
  }

  /** A few lines for a terminal: the summary and each host's outcome. */
  public static String text(SimulationResult r) {
    Summary s = r.summary();
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%s: %d days from %s, %d clients at the end, %d licensed (%.1f%%)%n",
            r.name(),
            r.days(),
            r.start(),
            s.clientsAtEnd(),
            s.licensedAtEnd(),
            100 * s.licensedShareAtEnd()));
    b.append(
        s.firstNotificationDay() == null
            ? "no client reached notification\n"
            : "first client in notification on day " + day(s.firstNotificationDay()) + "\n");
    if (s.clonesFound() > 0) {
      b.append(
          String.format(
              "clones: %d CMIDs seen under several names, at least %d machines%n",
              s.clonesFound(), s.clonedMachines()));
    }
    for (Summary.HostSummary h : s.hosts()) {
      StringBuilder counts = new StringBuilder();
      for (int a = 0; a < r.applications().size(); a++) {
        counts
            .append(a == 0 ? "" : ", ")
            .append(r.applications().get(a).key())
            .append(' ')
            .append(h.finalCounts().get(a));
      }
      b.append(
          String.format(
              "host %s: %d requests; count at the end: %s; ", h.name(), h.requests(), counts));
      if (h.retireDay() != null) {
        b.append("retired on day ").append(h.retireDay());
        b.append(
            h.dependentsAtRetirement() != null && h.dependentsAtRetirement() > 0
                ? " while " + h.dependentsAtRetirement() + " clients depended on it"
                : " with no client depending on it");
        b.append(h.idleFromDay() == null ? "" : "; idle from day " + day(h.idleFromDay()));
      } else {
        b.append(
            h.safeToRetireDay() == null
                ? "still in use at the end (not safe to retire)"
                : "safe to retire from day " + day(h.safeToRetireDay()));
      }
      b.append('\n');
    }
    return b.toString();
  }
}
