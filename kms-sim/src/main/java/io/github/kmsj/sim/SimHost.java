package io.github.kmsj.sim;

import io.github.kmsj.core.host.KmsHost;

/**
 * One simulated host: a real {@link KmsHost} and when it answers. Minutes count from day 0; one
 * thread (the scheduler's) reads and writes the counters.
 */
final class SimHost {
  final int index;
  final Scenario.Host spec;
  final KmsHost host;
  private final long startMinute;
  private final long retireMinute;
  private final long[] outageFrom;
  private final long[] outageUntil;

  /** Requests this host received (it was reachable and the client sent one). */
  long requests;

  /** Clients whose last answer came from this host (their cached host). */
  int dependents;

  /** {@link #dependents} when the host was retired, -1 before. */
  int dependentsAtRetirement = -1;

  SimHost(int index, Scenario.Host spec, KmsHost host) {
    this.index = index;
    this.spec = spec;
    this.host = host;
    this.startMinute = spec.startDay() * 1440L;
    this.retireMinute = spec.retireDay() == null ? Long.MAX_VALUE : spec.retireDay() * 1440L;
    this.outageFrom = new long[spec.outages().size()];
    this.outageUntil = new long[spec.outages().size()];
    for (int i = 0; i < outageFrom.length; i++) {
      Scenario.Outage o = spec.outages().get(i);
      outageFrom[i] = o.fromMinute();
      outageUntil[i] = o.untilMinute();
    }
  }

  String name() {
    return spec.name();
  }

  /** Whether the host accepts connections at {@code minute}. */
  boolean isUp(long minute) {
    if (minute < startMinute || minute >= retireMinute) {
      return false;
    }
    for (int i = 0; i < outageFrom.length; i++) {
      if (minute >= outageFrom[i] && minute < outageUntil[i]) {
        return false;
      }
    }
    return true;
  }
}
