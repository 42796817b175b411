package io.github.kmsj.core.ledger;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One application's count history: a ring of the last {@value ClientLedger#HISTORY_DAYS} UTC days,
 * each holding the highest count of the day, updated in place so that counting allocates nothing.
 * Like the ledger it is a function of the changes applied, so replaying a journal rebuilds it.
 */
final class CountHistory {
  private static final int NONE = -1;
  private static final long SECONDS_PER_DAY = 86_400;

  /** Indexed by {@code floorMod(epochDay, HISTORY_DAYS)}; {@link #NONE} for a day without data. */
  private final int[] highest = new int[ClientLedger.HISTORY_DAYS];

  /** The latest day recorded, as an epoch day; {@link Long#MIN_VALUE} before the first. */
  private long lastDay = Long.MIN_VALUE;

  CountHistory() {
    Arrays.fill(highest, NONE);
  }

  /** Notes that a request at {@code t} was answered with {@code count}. */
  void record(Instant t, int count) {
    long day = Math.floorDiv(t.getEpochSecond(), SECONDS_PER_DAY);
    if (day != lastDay) {
      moveTo(day);
    }
    int i = index(day);
    if (count > highest[i]) {
      highest[i] = count;
    }
  }

  /** Forgets the days after {@code to}'s, as a confirmed clock step back requires. */
  void truncateAfter(Instant to) {
    long day = Math.floorDiv(to.getEpochSecond(), SECONDS_PER_DAY);
    if (lastDay != Long.MIN_VALUE && day < lastDay) {
      moveTo(day);
    }
  }

  /**
   * Makes {@code day} the latest: days between the old latest and it (forwards) or after it
   * (backwards) are cleared.
   */
  private void moveTo(long day) {
    if (lastDay == Long.MIN_VALUE || Math.abs(day - lastDay) >= ClientLedger.HISTORY_DAYS) {
      Arrays.fill(highest, NONE);
    } else if (day > lastDay) {
      for (long d = lastDay + 1; d <= day; d++) {
        highest[index(d)] = NONE;
      }
    } else {
      for (long d = day + 1; d <= lastDay; d++) {
        highest[index(d)] = NONE;
      }
    }
    lastDay = day;
  }

  private static int index(long day) {
    return (int) Math.floorMod(day, (long) ClientLedger.HISTORY_DAYS);
  }

  /** The days with data, oldest first. */
  List<DailyCount> toList() {
    if (lastDay == Long.MIN_VALUE) {
      return List.of();
    }
    List<DailyCount> out = new ArrayList<>();
    for (long d = lastDay - ClientLedger.HISTORY_DAYS + 1; d <= lastDay; d++) {
      int h = highest[index(d)];
      if (h != NONE) {
        out.add(new DailyCount(LocalDate.ofEpochDay(d), h));
      }
    }
    return out;
  }

  /**
   * Replaces the history with {@code days} (increasing, within {@value ClientLedger#HISTORY_DAYS}).
   */
  void restore(List<DailyCount> days) {
    Arrays.fill(highest, NONE);
    lastDay = Long.MIN_VALUE;
    if (days.isEmpty()) {
      return;
    }
    lastDay = days.get(days.size() - 1).day().toEpochDay();
    for (DailyCount d : days) {
      highest[index(d.day().toEpochDay())] = d.highestCount();
    }
  }
}
