package io.github.kmsj.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.kmsj.core.client.HostCandidate;
import io.github.kmsj.core.client.Rfc2782Order;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link SrvShares} against {@link Rfc2782Order} itself: the shares are the frequencies with which
 * the locator's order puts each record first, over rotated answers.
 */
final class SrvSharesTest {
  private static final HostCandidate OLD = new HostCandidate("kms-old.corp.test", 1688, 0, 60);
  private static final HostCandidate NEW = new HostCandidate("kms-new.corp.test", 1688, 0, 20);
  private static final HostCandidate BACKUP = new HostCandidate("kms-dr.corp.test", 1688, 10, 0);

  @Test
  void of_weights60And20_exactSharesWithTheRfcsExtraDraw() {
    List<SrvShares.Share> shares = SrvShares.of(List.of(OLD, NEW, BACKUP));
    assertEquals(60.5 / 81, shares.get(0).firstChoice(), 1e-12);
    assertEquals(20.5 / 81, shares.get(1).firstChoice(), 1e-12);
    assertEquals(0.0, shares.get(2).firstChoice());
    assertEquals(1.0, shares.get(2).withinPriority(), "alone in its priority");
  }

  @Test
  void of_matchesTheLocatorsOrderOverRotatedAnswers() {
    List<HostCandidate> records =
        List.of(
            OLD,
            NEW,
            new HostCandidate("kms-zero.corp.test", 1688, 0, 0),
            new HostCandidate("kms-small.corp.test", 1688, 0, 3));
    Map<HostCandidate, Integer> first = new HashMap<>();
    SplittableRandom random = new SplittableRandom(42);
    int draws = 400_000;
    for (int i = 0; i < draws; i++) {
      List<HostCandidate> rotated = new ArrayList<>(records);
      java.util.Collections.rotate(rotated, i % records.size());
      first.merge(Rfc2782Order.order(rotated, random).get(0), 1, Integer::sum);
    }
    for (SrvShares.Share s : SrvShares.of(records)) {
      double seen = first.getOrDefault(s.candidate(), 0) / (double) draws;
      assertEquals(s.firstChoice(), seen, 0.004, s.candidate().toString());
    }
  }

  @Test
  void of_allWeightsZero_equalShares() {
    List<HostCandidate> records =
        List.of(
            new HostCandidate("a.corp.test", 1688, 5, 0),
            new HostCandidate("b.corp.test", 1688, 5, 0),
            new HostCandidate("c.corp.test", 1688, 5, 0));
    for (SrvShares.Share s : SrvShares.of(records)) {
      assertEquals(1.0 / 3, s.firstChoice(), 1e-12);
    }
  }
}
