package io.github.kmsj.core.policy;

import io.github.kmsj.core.time.Scheduler;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Breaks the policy's purity on purpose (it locks and reads the time), for {@code
 * ArchitectureViolationsTest}: the rule of a package with no main classes yet must still fail.
 */
final class LockingPolicy {
  private final ReentrantLock lock = new ReentrantLock();

  long decide(Scheduler scheduler) {
    lock.lock();
    try {
      return scheduler.read();
    } finally {
      lock.unlock();
    }
  }
}
