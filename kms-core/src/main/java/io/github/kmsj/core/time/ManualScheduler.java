package io.github.kmsj.core.time;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * Virtual time advanced by hand, the one test clock of kms-core: {@link #advance} runs every task
 * due by then in due order (ties in scheduling order), each with the clock set to its own due time,
 * so a year of a fleet runs in milliseconds. Thread-safe: any thread may read the time, schedule or
 * cancel while another advances; tasks run on the advancing thread, outside the internal lock, one
 * advance at a time.
 *
 * <p>The {@linkplain #read() ticker} and the {@linkplain #instant() wall clock} move together,
 * except in {@link #stepClock}, which moves the wall clock alone the way an NTP step or an
 * administrator does: timers and timeouts are unaffected.
 *
 * <p>Notes. The queue is a binary heap in which each task knows its index, so that a cancel costs
 * O(log n) rather than the linear search of {@code PriorityQueue.remove(Object)}: a simulator of
 * 100,000 clients holds 200,000 timers and cancels one on every renewal.
 */
public final class ManualScheduler implements Scheduler {
  private final Object lock = new Object();
  private final Object advancing = new Object();
  private final TaskHeap queue = new TaskHeap();
  private volatile long nanos;
  private volatile Instant wallAtZero;
  private long sequence;

  /** A scheduler whose wall clock starts at {@code start} and whose ticker starts at 0. */
  public ManualScheduler(Instant start) {
    this.wallAtZero = Objects.requireNonNull(start, "start");
  }

  @Override
  public Instant instant() {
    return wallAtZero.plusNanos(nanos);
  }

  @Override
  public long read() {
    return nanos;
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    Objects.requireNonNull(task, "task");
    return add(Math.max(0, delay.toNanos()), 0, task);
  }

  @Override
  public Cancellable scheduleEvery(Duration initialDelay, Duration interval, Runnable task) {
    Objects.requireNonNull(task, "task");
    return add(
        Math.max(0, initialDelay.toNanos()), Scheduler.requireInterval(interval).toNanos(), task);
  }

  private Cancellable add(long delayNanos, long intervalNanos, Runnable task) {
    synchronized (lock) {
      Task t = new Task(nanos + delayNanos, intervalNanos, sequence++, task);
      queue.add(t);
      return () -> {
        synchronized (lock) {
          t.cancelled = true;
          queue.remove(t);
        }
      };
    }
  }

  /**
   * Moves time forward by {@code duration}, running every task due on the way, including tasks
   * those tasks schedule.
   *
   * @return how many tasks ran
   * @throws IllegalArgumentException if {@code duration} is negative
   */
  public int advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("time must not go back: " + duration);
    }
    synchronized (advancing) {
      long target = nanos + duration.toNanos();
      int ran = 0;
      while (true) {
        Task t;
        synchronized (lock) {
          t = queue.peek();
          if (t == null || t.dueNanos > target) {
            nanos = target;
            return ran;
          }
          queue.remove(t);
          nanos = Math.max(nanos, t.dueNanos);
        }
        t.task.run();
        ran++;
        if (t.intervalNanos > 0) {
          synchronized (lock) {
            if (!t.cancelled) {
              t.dueNanos = nanos + t.intervalNanos;
              t.sequence = sequence++;
              queue.add(t);
            }
          }
        }
      }
    }
  }

  /**
   * {@link #advance Advances} to the wall-clock time {@code time}.
   *
   * @throws IllegalArgumentException when {@code time} is before the current wall-clock time
   */
  public int advanceTo(Instant time) {
    Duration d = Duration.between(instant(), time);
    if (d.isNegative()) {
      throw new IllegalArgumentException(
          "time must not go back: " + time + " is before " + instant());
    }
    return advance(d);
  }

  /**
   * Steps the wall clock by {@code step} (negative: back) without moving the ticker or running
   * anything, as a clock correction does.
   */
  public void stepClock(Duration step) {
    synchronized (lock) {
      wallAtZero = wallAtZero.plus(step);
    }
  }

  /** The number of tasks waiting. */
  public int pending() {
    synchronized (lock) {
      return queue.size();
    }
  }

  @Override
  public String toString() {
    return "ManualScheduler[" + instant() + ", " + pending() + " pending]";
  }

  private static final class Task {
    long dueNanos;
    final long intervalNanos;
    long sequence;
    final Runnable task;
    boolean cancelled;

    /** The task's place in the heap, -1 when it is not queued. */
    int index = -1;

    Task(long dueNanos, long intervalNanos, long sequence, Runnable task) {
      this.dueNanos = dueNanos;
      this.intervalNanos = intervalNanos;
      this.sequence = sequence;
      this.task = task;
    }
  }

  /** A binary min-heap of tasks by due time, then scheduling order; not thread-safe. */
  private static final class TaskHeap {
    private Task[] heap = new Task[16];
    private int size;

    int size() {
      return size;
    }

    Task peek() {
      return size == 0 ? null : heap[0];
    }

    void add(Task t) {
      if (size == heap.length) {
        heap = Arrays.copyOf(heap, size * 2);
      }
      t.index = size;
      heap[size++] = t;
      up(t.index);
    }

    /** Removes {@code t} if it is queued. */
    void remove(Task t) {
      int i = t.index;
      if (i < 0 || i >= size || heap[i] != t) {
        return;
      }
      t.index = -1;
      Task last = heap[--size];
      heap[size] = null;
      if (i == size) {
        return;
      }
      heap[i] = last;
      last.index = i;
      up(i);
      down(last.index);
    }

    private static boolean before(Task a, Task b) {
      return a.dueNanos < b.dueNanos || (a.dueNanos == b.dueNanos && a.sequence < b.sequence);
    }

    private void up(int i) {
      Task t = heap[i];
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        Task p = heap[parent];
        if (!before(t, p)) {
          break;
        }
        heap[i] = p;
        p.index = i;
        i = parent;
      }
      heap[i] = t;
      t.index = i;
    }

    private void down(int i) {
      Task t = heap[i];
      int half = size >>> 1;
      while (i < half) {
        int child = 2 * i + 1;
        int right = child + 1;
        if (right < size && before(heap[right], heap[child])) {
          child = right;
        }
        if (!before(heap[child], t)) {
          break;
        }
        heap[i] = heap[child];
        heap[i].index = i;
        i = child;
      }
      heap[i] = t;
      t.index = i;
    }
  }
}
