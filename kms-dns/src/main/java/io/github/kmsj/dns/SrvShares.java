package io.github.kmsj.dns;

import io.github.kmsj.core.client.HostCandidate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The chance of each SRV record to be a client's first choice under <a
 * href="https://www.rfc-editor.org/rfc/rfc2782#page-3">RFC 2782</a> ordering, as {@link SrvLocator}
 * orders them: the expected share of clients per host while every host answers.
 *
 * <p>Notes: the RFC's draw from 0 to the weight sum inclusive gives the first record in the list an
 * extra 1/(sum+1) (see {@code Rfc2782Order}); servers rotate an RRset's records from one answer to
 * the next, so the share here is the average over every rotation of the records as given. Weights
 * 60 and 20 give 74.69% and 25.31%, not 75% and 25%; all-zero weights give equal shares.
 */
public final class SrvShares {
  private SrvShares() {}

  /**
   * One record's chances.
   *
   * @param candidate the record
   * @param withinPriority the chance to be tried first among the records of its priority, what
   *     counts once every lower priority has failed
   * @param firstChoice the chance to be a client's first choice: {@code withinPriority} for the
   *     lowest priority, 0 for the others (they are only tried when all of it fails)
   */
  public record Share(HostCandidate candidate, double withinPriority, double firstChoice) {
    /** Checks. */
    public Share {
      Objects.requireNonNull(candidate, "candidate");
    }
  }

  /** The shares of {@code records}, in the order given. */
  public static List<Share> of(List<HostCandidate> records) {
    Map<Integer, List<HostCandidate>> byPriority = new TreeMap<>();
    for (HostCandidate c : records) {
      byPriority.computeIfAbsent(c.priority(), p -> new ArrayList<>()).add(c);
    }
    int lowest = byPriority.isEmpty() ? 0 : byPriority.keySet().iterator().next();
    List<Share> out = new ArrayList<>(records.size());
    for (HostCandidate c : records) {
      List<HostCandidate> group = byPriority.get(c.priority());
      double p = averageFirstPick(group, group.indexOf(c));
      out.add(new Share(c, p, c.priority() == lowest ? p : 0));
    }
    return out;
  }

  /** The chance that record {@code index} of {@code group} is drawn first, over all rotations. */
  private static double averageFirstPick(List<HostCandidate> group, int index) {
    int n = group.size();
    double sum = 0;
    for (int rotation = 0; rotation < n; rotation++) {
      List<Integer> order = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        order.add((i + rotation) % n);
      }
      // Rfc2782Order: weight-0 records first, each part in the order received.
      List<Integer> unordered = new ArrayList<>(n);
      order.stream().filter(i -> group.get(i).weight() == 0).forEach(unordered::add);
      order.stream().filter(i -> group.get(i).weight() != 0).forEach(unordered::add);
      long total = 0;
      for (int i : unordered) {
        total += group.get(i).weight();
      }
      // A draw d in [0, total] picks the first record whose running sum reaches d.
      long running = 0;
      long previous = -1;
      for (int i : unordered) {
        running += group.get(i).weight();
        long draws = running - previous; // the draws d with previous < d <= running
        if (draws > 0 && i == index) {
          sum += (double) draws / (total + 1);
        }
        previous = Math.max(previous, running);
      }
    }
    return sum / n;
  }
}
