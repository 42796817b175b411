package io.github.kmsj.core.time;

/** A handle to a task a {@link Scheduler} will run. */
@FunctionalInterface
public interface Cancellable {

  /** Cancels the task if it has not run yet, and every later run of a repeating task. */
  void cancel();
}
