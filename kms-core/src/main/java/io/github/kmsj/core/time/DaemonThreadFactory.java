package io.github.kmsj.core.time;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one factory of kmsj's background threads: daemon threads (kmsj's own work never keeps a JVM
 * alive) with a recognisable name, numbered when the factory makes more than one.
 */
public final class DaemonThreadFactory implements ThreadFactory {
  private final String name;
  private final boolean numbered;
  private final AtomicInteger next = new AtomicInteger();

  private DaemonThreadFactory(String name, boolean numbered) {
    this.name = Objects.requireNonNull(name, "name");
    this.numbered = numbered;
  }

  /** Threads all called {@code name}. */
  public static DaemonThreadFactory named(String name) {
    return new DaemonThreadFactory(name, false);
  }

  /** Threads called {@code prefix-0}, {@code prefix-1}, ... */
  public static DaemonThreadFactory numbered(String prefix) {
    return new DaemonThreadFactory(prefix, true);
  }

  @Override
  public Thread newThread(Runnable r) {
    Thread t = new Thread(r, numbered ? name + "-" + next.getAndIncrement() : name);
    t.setDaemon(true);
    return t;
  }
}
