package io.github.kmsj.core.store;

import java.time.Duration;
import java.util.Objects;

/** When a {@link FileHostStore} forces journal records to disk, relative to the response. */
public sealed interface Durability permits Durability.PerRequest, Durability.Grouped {

  /**
   * Every change is on disk before its response is returned; concurrent requests share one fsync.
   */
  Durability PER_REQUEST = new PerRequest();

  /**
   * Changes go to the operating system at once and a background thread forces them to disk every
   * {@code window}; responses do not wait, so a power loss (not a process crash) can lose up to one
   * window.
   *
   * @throws IllegalArgumentException unless the window is 1 ms to 10 s
   */
  static Durability grouped(Duration window) {
    return new Grouped(window);
  }

  /** Fsync before each response; see {@link #PER_REQUEST}. */
  record PerRequest() implements Durability {}

  /**
   * Fsync every {@code window} on a background thread; see {@link #grouped(Duration)}.
   *
   * @param window how often the journal is forced, 1 ms to 10 s
   */
  record Grouped(Duration window) implements Durability {
    /** Checks the window range. */
    public Grouped {
      Objects.requireNonNull(window, "window");
      if (window.compareTo(Duration.ofMillis(1)) < 0
          || window.compareTo(Duration.ofSeconds(10)) > 0) {
        throw new IllegalArgumentException("durability window must be 1 ms to 10 s: " + window);
      }
    }
  }
}
