package io.github.kmsj.core.store;

import java.time.Duration;
import java.util.Objects;

/**
 * What a change survives once the host has answered it, the way PostgreSQL names {@code
 * synchronous_commit} levels. No mode answers from a buffer only the JVM holds.
 */
public sealed interface Durability
    permits Durability.SurvivesPowerLoss, Durability.SurvivesProcessCrash {

  /**
   * The default: every answered change survives power loss and an operating-system crash. An answer
   * waits for the {@code fsync} that covers its change; one {@code fsync} covers every change
   * pending when it starts (group commit), so each answer waits about one {@code fsync} and
   * throughput grows with concurrency.
   */
  Durability SURVIVES_POWER_LOSS = new SurvivesPowerLoss();

  /**
   * Every answered change survives a crash or kill of the host process, not of the machine: an
   * answer waits until its change is written to the operating system, and the journal is forced
   * every {@code forceEvery}. A power loss or OS crash can lose the changes of up to the last
   * {@code forceEvery} plus one {@code fsync}.
   *
   * @throws IllegalArgumentException unless {@code forceEvery} is 1 ms to 10 s
   */
  static Durability survivesProcessCrash(Duration forceEvery) {
    return new SurvivesProcessCrash(forceEvery);
  }

  /** See {@link #SURVIVES_POWER_LOSS}. */
  record SurvivesPowerLoss() implements Durability {
    @Override
    public String toString() {
      return "survives power loss";
    }
  }

  /**
   * See {@link #survivesProcessCrash}.
   *
   * @param forceEvery how often the journal is forced, 1 ms to 10 s
   */
  record SurvivesProcessCrash(Duration forceEvery) implements Durability {
    /** Checks the range. */
    public SurvivesProcessCrash {
      Objects.requireNonNull(forceEvery, "forceEvery");
      if (forceEvery.compareTo(Duration.ofMillis(1)) < 0
          || forceEvery.compareTo(Duration.ofSeconds(10)) > 0) {
        throw new IllegalArgumentException(
            "the force interval must be 1 ms to 10 s: " + forceEvery.toMillis() + " ms");
      }
    }

    @Override
    public String toString() {
      return "survives a process crash (forced every " + forceEvery.toMillis() + " ms)";
    }
  }
}
