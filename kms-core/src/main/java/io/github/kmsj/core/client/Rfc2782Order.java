package io.github.kmsj.core.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The target selection of <a href="https://www.rfc-editor.org/rfc/rfc2782#page-3">RFC 2782, "Usage
 * rules"</a>: priorities ascending; within a priority, repeated weighted random selection.
 *
 * <p>Notes: this follows the RFC's text to the letter. Weight-0 records go to the front of the
 * unordered list, the random number is drawn uniformly from 0 to the weight sum <em>inclusive</em>,
 * and the first record whose running sum is at least that number is taken. So a weight-0 record
 * (running sum 0) is taken only when the draw is 0, a chance of 1/(sum+1); and the first record in
 * the list gets that same extra 1/(sum+1) when there is no weight-0 record, which is only
 * noticeable with tiny weights (weights 1 and 3 give 2/5 and 3/5, weights 100 and 300 give 25.2%
 * and 74.8%). Other records keep the order the server sent them in; servers rotate an RRset, which
 * spreads that extra share among records over time. Pure: kms-dns orders what it looked up with it,
 * and a simulator orders what a scenario publishes.
 */
public final class Rfc2782Order {

  private Rfc2782Order() {}

  /**
   * Orders candidates for trying.
   *
   * @param records the candidates, in the order received
   * @param random the source of the selection draws; used under the caller's lock if shared
   * @return a new list: lowest priority first, each priority in weighted random order
   */
  public static List<HostCandidate> order(List<HostCandidate> records, RandomGenerator random) {
    Map<Integer, List<HostCandidate>> byPriority = new TreeMap<>();
    for (HostCandidate c : records) {
      byPriority.computeIfAbsent(c.priority(), p -> new ArrayList<>()).add(c);
    }
    List<HostCandidate> ordered = new ArrayList<>(records.size());
    for (List<HostCandidate> group : byPriority.values()) {
      List<HostCandidate> unordered = new ArrayList<>(group.size());
      group.stream().filter(c -> c.weight() == 0).forEach(unordered::add);
      group.stream().filter(c -> c.weight() != 0).forEach(unordered::add);
      while (!unordered.isEmpty()) {
        ordered.add(unordered.remove(select(unordered, random)));
      }
    }
    return ordered;
  }

  /** Returns the index of the record chosen by one RFC 2782 draw over {@code unordered}. */
  private static int select(List<HostCandidate> unordered, RandomGenerator random) {
    long sum = 0;
    for (HostCandidate c : unordered) {
      sum += c.weight();
    }
    long draw = random.nextLong(sum + 1);
    long running = 0;
    for (int i = 0; i < unordered.size(); i++) {
      running += unordered.get(i).weight();
      if (running >= draw) {
        return i;
      }
    }
    throw new AssertionError("draw " + draw + " above weight sum " + sum);
  }
}
