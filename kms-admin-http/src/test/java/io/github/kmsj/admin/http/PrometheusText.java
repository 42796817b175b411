package io.github.kmsj.admin.http;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of Prometheus' text exposition format, version 0.0.4 (prometheus.io, "Exposition
 * formats", "Text format details"), for the tests. No maintained Java parser of the format exists
 * among the allowed libraries (client_java writes the format but does not read it), so this one
 * follows the documentation and rejects, with the line number, everything it does not allow: a
 * malformed name, label or value, a TYPE or HELP given twice or after the family's first sample, a
 * family split into two groups, a sample of the wrong type's names, a repeated series or label,
 * histogram buckets that are not cumulative or lack {@code le="+Inf"}, or a {@code +Inf} bucket
 * that differs from {@code _count}.
 */
final class PrometheusText {
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Set<String> TYPES =
      Set.of("counter", "gauge", "histogram", "summary", "untyped");

  /** One sample line. */
  record Sample(String name, Map<String, String> labels, double value) {}

  /** One metric family: its TYPE, HELP and samples in order. */
  record Family(String name, String type, Optional<String> help, List<Sample> samples) {
    /** The samples named {@code name} whose labels include every one of {@code labels}. */
    List<Sample> find(String name, Map<String, String> labels) {
      List<Sample> out = new ArrayList<>();
      for (Sample s : samples) {
        if (s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet())) {
          out.add(s);
        }
      }
      return out;
    }
  }

  private PrometheusText() {}

  /** The families of {@code text}, by name, in order of appearance. */
  static Map<String, Family> parse(String text) {
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new IllegalArgumentException("the exposition must end with a line feed");
    }
    Map<String, String> types = new LinkedHashMap<>();
    Map<String, String> helps = new LinkedHashMap<>();
    Map<String, List<Sample>> samples = new LinkedHashMap<>();
    Set<String> closed = new HashSet<>();
    Set<String> series = new HashSet<>();
    String current = null;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length - 1; i++) {
      String line = lines[i];
      int no = i + 1;
      if (line.isBlank()) {
        continue;
      }
      if (line.startsWith("#")) {
        String[] parts = line.substring(1).strip().split("[ \t]+", 3);
        if (parts.length >= 2 && (parts[0].equals("HELP") || parts[0].equals("TYPE"))) {
          String name = parts[1];
          requireName(name, no);
          if (samples.containsKey(name)) {
            throw error(no, parts[0] + " for " + name + " after its samples");
          }
          if (parts[0].equals("TYPE")) {
            if (parts.length != 3 || !TYPES.contains(parts[2])) {
              throw error(no, "bad TYPE line: " + line);
            }
            if (types.put(name, parts[2]) != null) {
              throw error(no, "second TYPE for " + name);
            }
          } else if (helps.put(name, parts.length == 3 ? unescapeHelp(parts[2], no) : "") != null) {
            throw error(no, "second HELP for " + name);
          }
        }
        continue;
      }
      Sample sample = sample(line, no);
      String family = familyOf(sample.name(), types);
      if (!family.equals(current)) {
        if (closed.contains(family)) {
          throw error(no, "the samples of " + family + " are not one group");
        }
        if (current != null) {
          closed.add(current);
        }
        current = family;
      }
      String type = types.getOrDefault(family, "untyped");
      checkSampleName(type, family, sample, no);
      String key = sample.name() + new TreeMap<>(sample.labels());
      if (!series.add(key)) {
        throw error(no, "repeated series " + key);
      }
      samples.computeIfAbsent(family, k -> new ArrayList<>()).add(sample);
    }
    Map<String, Family> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<Sample>> e : samples.entrySet()) {
      String type = types.getOrDefault(e.getKey(), "untyped");
      Family f =
          new Family(e.getKey(), type, Optional.ofNullable(helps.get(e.getKey())), e.getValue());
      if (type.equals("histogram")) {
        checkHistogram(f);
      }
      out.put(e.getKey(), f);
    }
    return out;
  }

  private static String familyOf(String sampleName, Map<String, String> types) {
    if (types.containsKey(sampleName)) {
      return sampleName;
    }
    for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
      if (sampleName.endsWith(suffix)) {
        String base = sampleName.substring(0, sampleName.length() - suffix.length());
        String type = types.get(base);
        if (type != null && (type.equals("histogram") || type.equals("summary"))) {
          return base;
        }
      }
    }
    return sampleName;
  }

  private static void checkSampleName(String type, String family, Sample s, int no) {
    boolean ok =
        switch (type) {
          case "histogram" ->
              s.name().equals(family + "_sum")
                  || s.name().equals(family + "_count")
                  || (s.name().equals(family + "_bucket") && s.labels().containsKey("le"));
          case "summary" ->
              s.name().equals(family + "_sum")
                  || s.name().equals(family + "_count")
                  || (s.name().equals(family) && s.labels().containsKey("quantile"));
          default -> s.name().equals(family);
        };
    if (!ok) {
      throw error(no, "sample " + s.name() + " does not belong to the " + type + " " + family);
    }
    if (type.equals("counter") && !(s.value() >= 0)) {
      throw error(no, "negative or NaN counter " + s.name() + " = " + s.value());
    }
  }

  private static void checkHistogram(Family f) {
    Map<Map<String, String>, List<Sample>> buckets = new LinkedHashMap<>();
    Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
    for (Sample s : f.samples()) {
      Map<String, String> rest = new TreeMap<>(s.labels());
      rest.remove("le");
      if (s.name().endsWith("_bucket")) {
        buckets.computeIfAbsent(rest, k -> new ArrayList<>()).add(s);
      } else if (s.name().endsWith("_count")) {
        counts.put(rest, s.value());
      }
    }
    for (Map.Entry<Map<String, String>, List<Sample>> e : buckets.entrySet()) {
      double lastBound = Double.NEGATIVE_INFINITY;
      double lastCount = 0;
      for (Sample b : e.getValue()) {
        double bound = parseValue(b.labels().get("le"), 0);
        if (!(bound > lastBound) || b.value() < lastCount) {
          throw new IllegalArgumentException(
              f.name() + ": buckets are not cumulative at le=" + bound);
        }
        lastBound = bound;
        lastCount = b.value();
      }
      if (lastBound != Double.POSITIVE_INFINITY) {
        throw new IllegalArgumentException(f.name() + ": no le=\"+Inf\" bucket for " + e.getKey());
      }
      Double count = counts.get(e.getKey());
      if (count == null || count != lastCount) {
        throw new IllegalArgumentException(
            f.name() + ": _count " + count + " != +Inf bucket " + lastCount);
      }
    }
  }

  private static Sample sample(String line, int no) {
    int i = 0;
    while (i < line.length()
        && line.charAt(i) != '{'
        && line.charAt(i) != ' '
        && line.charAt(i) != '\t') {
      i++;
    }
    String name = line.substring(0, i);
    requireName(name, no);
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (true) {
        if (i < line.length() && line.charAt(i) == '}') {
          i++;
          break;
        }
        int eq = line.indexOf('=', i);
        if (eq < 0) {
          throw error(no, "label without '=': " + line);
        }
        String label = line.substring(i, eq);
        if (!LABEL_NAME.matcher(label).matches()) {
          throw error(no, "bad label name '" + label + "'");
        }
        i = eq + 1;
        if (i >= line.length() || line.charAt(i) != '"') {
          throw error(no, "label value not quoted: " + line);
        }
        i++;
        StringBuilder value = new StringBuilder();
        while (true) {
          if (i >= line.length()) {
            throw error(no, "unterminated label value: " + line);
          }
          char c = line.charAt(i++);
          if (c == '"') {
            break;
          }
          if (c == '\\') {
            if (i >= line.length()) {
              throw error(no, "dangling escape: " + line);
            }
            char e = line.charAt(i++);
            switch (e) {
              case '\\' -> value.append('\\');
              case '"' -> value.append('"');
              case 'n' -> value.append('\n');
              default -> throw error(no, "bad escape \\" + e + " in a label value");
            }
          } else {
            value.append(c);
          }
        }
        if (labels.put(label, value.toString()) != null) {
          throw error(no, "label " + label + " given twice");
        }
        if (i < line.length() && line.charAt(i) == ',') {
          i++;
        } else if (i >= line.length() || line.charAt(i) != '}') {
          throw error(no, "expected ',' or '}' in " + line);
        }
      }
    }
    String rest = line.substring(i);
    if (rest.isEmpty() || (rest.charAt(0) != ' ' && rest.charAt(0) != '\t')) {
      throw error(no, "no value after the name and labels: " + line);
    }
    String[] fields = rest.strip().split("[ \t]+");
    if (fields.length > 2) {
      throw error(no, "extra fields after value and timestamp: " + line);
    }
    double value = parseValue(fields[0], no);
    if (fields.length == 2) {
      try {
        Long.parseLong(fields[1]);
      } catch (NumberFormatException e) {
        throw error(no, "bad timestamp " + fields[1]);
      }
    }
    return new Sample(name, labels, value);
  }

  private static double parseValue(String s, int no) {
    switch (s) {
      case "NaN":
        return Double.NaN;
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      default:
        if (!s.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
          throw error(no, "bad value '" + s + "'");
        }
        return Double.parseDouble(s);
    }
  }

  private static String unescapeHelp(String s, int no) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        if (++i >= s.length()) {
          throw error(no, "dangling escape in HELP");
        }
        char e = s.charAt(i);
        switch (e) {
          case '\\' -> out.append('\\');
          case 'n' -> out.append('\n');
          default -> throw error(no, "bad escape \\" + e + " in HELP");
        }
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static void requireName(String name, int no) {
    if (!METRIC_NAME.matcher(name).matches()) {
      throw error(no, "bad metric name '" + name + "'");
    }
  }

  private static IllegalArgumentException error(int line, String message) {
    return new IllegalArgumentException("line " + line + ": " + message);
  }
}
