package io.github.kmsj.sim;

import io.github.kmsj.core.client.HostCandidate;
import io.github.kmsj.core.client.Rfc2782Order;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The {@code _vlmcs._tcp} SRV records of a scenario as a client's DNS query returns them on a given
 * day, ordered for trying by {@link Rfc2782Order} (priority ascending, weighted random within a
 * priority). Records change only at day boundaries, so the published set is kept per day.
 */
final class SrvTable {
  private final List<Scenario.Srv> records;
  private final Map<String, SimHost> hosts = new HashMap<>();
  private long day = -1;
  private List<HostCandidate> published = List.of();

  SrvTable(List<Scenario.Srv> records, List<SimHost> hosts) {
    this.records = records;
    hosts.forEach(h -> this.hosts.put(h.name(), h));
  }

  /** The records published at {@code minute}, in the order the zone lists them. */
  List<HostCandidate> published(long minute) {
    long d = Math.floorDiv(minute, 1440);
    if (d != day) {
      day = d;
      List<HostCandidate> list = new ArrayList<>();
      for (Scenario.Srv r : records) {
        if (d >= r.fromDay() && (r.untilDay() == null || d < r.untilDay())) {
          list.add(
              new HostCandidate(r.host(), HostCandidate.DEFAULT_PORT, r.priority(), r.weight()));
        }
      }
      published = List.copyOf(list);
    }
    return published;
  }

  /** The hosts one DNS query at {@code minute} yields, in the order a client tries them. */
  List<SimHost> order(long minute, RandomGenerator random) {
    List<HostCandidate> p = published(minute);
    if (p.isEmpty()) {
      return List.of();
    }
    if (p.size() == 1) {
      return List.of(hosts.get(p.get(0).host()));
    }
    List<HostCandidate> ordered = Rfc2782Order.order(p, random);
    List<SimHost> out = new ArrayList<>(ordered.size());
    for (HostCandidate c : ordered) {
      out.add(hosts.get(c.host()));
    }
    return out;
  }
}
