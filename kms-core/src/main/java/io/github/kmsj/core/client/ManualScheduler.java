package io.github.kmsj.core.client;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * A virtual clock and scheduler stepped by hand: {@link #advanceTo} runs every task due by then in
 * time order (ties in scheduling order), each at its own due time, so a year of a client runs in
 * microseconds. Not thread-safe: one thread drives it, as in a test or a simulator.
 */
public final class ManualScheduler implements LifecycleScheduler, InstantSource {
  private final PriorityQueue<Task> queue =
      new PriorityQueue<>(
          Comparator.comparing((Task t) -> t.at).thenComparingLong(t -> t.sequence));
  private Instant now;
  private long sequence;

  /** A scheduler whose virtual time starts at {@code start}. */
  public ManualScheduler(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
  }

  @Override
  public Cancellable schedule(Instant at, Consumer<Instant> task) {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(task, "task");
    Task t = new Task(at.isBefore(now) ? now : at, sequence++, task);
    queue.add(t);
    return () -> queue.remove(t);
  }

  /** The virtual time. */
  @Override
  public Instant instant() {
    return now;
  }

  /**
   * Runs every task due at or before {@code time}, including tasks those tasks schedule, then sets
   * the time.
   *
   * @return how many tasks ran
   * @throws IllegalArgumentException when {@code time} is before the current virtual time
   */
  public int advanceTo(Instant time) {
    if (time.isBefore(now)) {
      throw new IllegalArgumentException("time must not go back: " + time + " is before " + now);
    }
    int ran = 0;
    while (!queue.isEmpty() && !queue.peek().at.isAfter(time)) {
      Task t = queue.poll();
      now = t.at;
      t.task.accept(now);
      ran++;
    }
    now = time;
    return ran;
  }

  /** {@link #advanceTo} the current time plus {@code duration}. */
  public int advanceBy(Duration duration) {
    return advanceTo(now.plus(duration));
  }

  /** The number of tasks waiting. */
  public int pending() {
    return queue.size();
  }

  private static final class Task {
    final Instant at;
    final long sequence;
    final Consumer<Instant> task;

    Task(Instant at, long sequence, Consumer<Instant> task) {
      this.at = at;
      this.sequence = sequence;
      this.task = task;
    }
  }
}
