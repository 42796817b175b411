package io.github.kmsj.core.catalog;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The valid names closest to a mistyped one, by Levenshtein distance, for error messages such as
 * "unknown host-key group 'windows-server-2023' (nearest: windows-server-2022, ...)".
 */
final class Nearest {
  private static final int MAX = 3;

  private Nearest() {}

  /** Up to three candidates, closest first; ties keep the candidates' order. */
  static List<String> to(String query, Collection<String> candidates) {
    String q = query.toLowerCase(Locale.ROOT);
    return candidates.stream()
        .distinct()
        .sorted(Comparator.comparingInt(c -> distance(q, c.toLowerCase(Locale.ROOT))))
        .limit(MAX)
        .toList();
  }

  /** {@code " (nearest: a, b, c)"}, or an empty string when there are no candidates. */
  static String hint(String query, Collection<String> candidates) {
    List<String> near = to(query, candidates);
    return near.isEmpty() ? "" : " (nearest: " + String.join(", ", near) + ")";
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
