package io.github.kmsj.core.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

final class Rfc2782OrderTest {

  private static final int RUNS = 40_000;

  private static HostCandidate c(String host, int priority, int weight) {
    return new HostCandidate(host, 1688, priority, weight);
  }

  /**
   * Returns how often each host came first over {@link #RUNS} orderings with a seeded generator.
   */
  private static Map<String, Double> firstShares(List<HostCandidate> records) {
    SplittableRandom random = new SplittableRandom(42);
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < RUNS; i++) {
      counts.merge(Rfc2782Order.order(records, random).get(0).host(), 1, Integer::sum);
    }
    return counts.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue() / (double) RUNS));
  }

  @Test
  void order_mixedPriorities_lowestPriorityFirstAndAllKept() {
    List<HostCandidate> in =
        List.of(c("c", 20, 5), c("a", 0, 10), c("d", 20, 0), c("b", 0, 30), c("e", 10, 0));
    for (long seed = 0; seed < 50; seed++) {
      List<HostCandidate> out = Rfc2782Order.order(in, new SplittableRandom(seed));
      assertEquals(
          List.of(0, 0, 10, 20, 20),
          out.stream().map(HostCandidate::priority).collect(Collectors.toList()));
      assertEquals(in.size(), out.stream().distinct().count());
    }
  }

  @Test
  void order_largeWeights1To3_firstSharesNear25And75Percent() {
    Map<String, Double> share = firstShares(List.of(c("light", 0, 100), c("heavy", 0, 300)));
    assertEquals(101 / 401.0, share.get("light"), 0.01);
    assertEquals(300 / 401.0, share.get("heavy"), 0.01);
  }

  @Test
  void order_weights1And3_firstSharesAreRfcExact2And3Fifths() {
    // RFC 2782 draws from 0..sum inclusive, so with sum 4 the first listed record wins draws 0 and
    // 1.
    Map<String, Double> share = firstShares(List.of(c("light", 0, 1), c("heavy", 0, 3)));
    assertEquals(2 / 5.0, share.get("light"), 0.01);
    assertEquals(3 / 5.0, share.get("heavy"), 0.01);
  }

  @Test
  void order_weightZeroAmongWeighted_firstOnlyWhenDrawIsZero() {
    // Listed last, but placed first before selection: chosen first exactly when the draw is 0.
    Map<String, Double> share = firstShares(List.of(c("w9", 0, 9), c("zero", 0, 0)));
    assertEquals(1 / 10.0, share.get("zero"), 0.01);
    assertEquals(9 / 10.0, share.get("w9"), 0.01);
  }

  @Test
  void order_allWeightsZero_keepsReceivedOrder() {
    List<HostCandidate> in = List.of(c("x", 0, 0), c("y", 0, 0), c("z", 0, 0));
    assertEquals(in, Rfc2782Order.order(in, new SplittableRandom(7)));
  }

  @Test
  void order_sameSeed_sameOrder() {
    List<HostCandidate> in = List.of(c("a", 0, 10), c("b", 0, 20), c("c", 0, 30), c("d", 1, 5));
    assertEquals(
        Rfc2782Order.order(in, new SplittableRandom(3)),
        Rfc2782Order.order(in, new SplittableRandom(3)));
  }

  @Test
  void order_threeWeights_secondPlaceFollowsRemainingWeights() {
    // After "a" (weight 60) is picked first, the remaining 30:10 pair decides second place.
    List<HostCandidate> in = List.of(c("a", 0, 60), c("b", 0, 30), c("c", 0, 10));
    SplittableRandom random = new SplittableRandom(11);
    int afterA = 0;
    int bSecond = 0;
    for (int i = 0; i < RUNS; i++) {
      List<HostCandidate> out = Rfc2782Order.order(in, random);
      if (out.get(0).host().equals("a")) {
        afterA++;
        if (out.get(1).host().equals("b")) {
          bSecond++;
        }
      }
    }
    assertTrue(afterA > RUNS / 2);
    assertEquals(31 / 41.0, bSecond / (double) afterA, 0.015);
  }
}
