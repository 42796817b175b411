package io.github.kmsj.sim;

import io.github.kmsj.core.client.ClientLifecycle;
import io.github.kmsj.core.policy.HostPolicy;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What to simulate: hosts, the SRV records that publish them, fleets of clients, and how long. The
 * format of a scenario file (docs/SIMULATOR.md, "Scenario format"); every optional field has the
 * default named here. Days are whole days from {@link #start} (day 0), at UTC midnight.
 *
 * @param name a title for summaries and plots
 * @param start the date of day 0, {@code YYYY-MM-DD}; default 2026-01-05
 * @param days how many days to run, 1–3650
 * @param seed the seed of every random choice (SRV selection, CMIDs, salts, ePIDs); default 1
 * @param sampleMinutes how often the series is sampled, 15–1440 minutes and a divisor of a day;
 *     default 1440 (once a day)
 * @param hostCaching whether clients stick to the last host that answered (Windows' default, {@code
 *     slmgr /ckhc} turns it off); default true
 * @param hosts the KMS hosts, at least one
 * @param dns the {@code _vlmcs._tcp} SRV records; default one record per host, priority 0, weight
 *     100, for the host's whole life
 * @param fleets the clients, at least one fleet
 */
public record Scenario(
    String name,
    String start,
    Integer days,
    Long seed,
    Integer sampleMinutes,
    Boolean hostCaching,
    List<Host> hosts,
    List<Srv> dns,
    List<Fleet> fleets) {

  /** The longest run. */
  public static final int MAX_DAYS = 3650;

  /** Defaults and checks; names are unique, records and fleets name existing hosts. */
  public Scenario {
    name = name == null || name.isBlank() ? "scenario" : name;
    start = start == null ? "2026-01-05" : start;
    try {
      LocalDate.parse(start);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("start must be a date YYYY-MM-DD: '" + start + "'");
    }
    require(days != null, "days is required (how many days to run)");
    require(days >= 1 && days <= MAX_DAYS, "days must be 1-" + MAX_DAYS + ": " + days);
    seed = seed == null ? 1L : seed;
    sampleMinutes = sampleMinutes == null ? 1440 : sampleMinutes;
    require(
        sampleMinutes >= 15 && sampleMinutes <= 1440 && 1440 % sampleMinutes == 0,
        "sampleMinutes must be 15-1440 and divide 1440: " + sampleMinutes);
    hostCaching = hostCaching == null || hostCaching;
    require(hosts != null && !hosts.isEmpty(), "hosts must list at least one host");
    hosts = List.copyOf(hosts);
    Set<String> hostNames = new HashSet<>();
    for (Host h : hosts) {
      require(hostNames.add(h.name()), "hosts: the name '" + h.name() + "' is used twice");
    }
    if (dns == null) {
      dns =
          hosts.stream().map(h -> new Srv(h.name(), 0, 100, h.startDay(), h.retireDay())).toList();
    }
    dns = List.copyOf(dns);
    for (Srv r : dns) {
      require(
          hostNames.contains(r.host()),
          "dns: record for '" + r.host() + "', which is not in hosts " + hostNames);
    }
    require(fleets != null && !fleets.isEmpty(), "fleets must list at least one fleet");
    fleets = List.copyOf(fleets);
    Set<String> fleetNames = new HashSet<>();
    for (Fleet f : fleets) {
      require(fleetNames.add(f.name()), "fleets: the name '" + f.name() + "' is used twice");
      require(
          f.kmsHost() == null || hostNames.contains(f.kmsHost()),
          "fleets: '" + f.name() + "' names kmsHost '" + f.kmsHost() + "', not in hosts");
    }
  }

  /** The instant of day 0. */
  public Instant startInstant() {
    return LocalDate.parse(start).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  static String requireName(String name, String what) {
    require(name != null && !name.isBlank(), what + " must have a name");
    require(
        name.length() <= 50 && name.chars().noneMatch(c -> c == ',' || Character.isWhitespace(c)),
        what + " name must be at most 50 characters without spaces or commas: '" + name + "'");
    return name;
  }

  /**
   * A KMS host: a real {@code KmsHost} with these settings and no store.
   *
   * @param name its name, as SRV records and the results show it
   * @param hostKeyGroups the host-key groups installed, by catalog ID ({@code kmsj groups} lists
   *     them); default kms-core's defaults (Windows Server 2025 and every Office group)
   * @param activationIntervalMinutes the retry interval returned to clients, 15–43200; default 120
   * @param renewalIntervalMinutes the renewal interval returned to clients, 15–43200; default 10080
   * @param maxClockSkewMinutes the largest client clock difference accepted; default 240 (the
   *     4-hour rule)
   * @param startDay the day the host starts answering; default 0
   * @param retireDay the day it stops for good, after {@code startDay}; null: never
   * @param outages periods during which it does not answer
   */
  public record Host(
      String name,
      List<String> hostKeyGroups,
      Integer activationIntervalMinutes,
      Integer renewalIntervalMinutes,
      Integer maxClockSkewMinutes,
      Integer startDay,
      Integer retireDay,
      List<Outage> outages) {
    /** Defaults and range checks. */
    public Host {
      requireName(name, "a host");
      hostKeyGroups = hostKeyGroups == null ? null : List.copyOf(hostKeyGroups);
      activationIntervalMinutes =
          interval(activationIntervalMinutes, 120, name, "activationIntervalMinutes");
      renewalIntervalMinutes =
          interval(renewalIntervalMinutes, 10_080, name, "renewalIntervalMinutes");
      maxClockSkewMinutes =
          maxClockSkewMinutes == null
              ? (int) HostPolicy.DEFAULT_MAX_CLOCK_SKEW.toMinutes()
              : maxClockSkewMinutes;
      require(
          maxClockSkewMinutes >= 0,
          "host '" + name + "': maxClockSkewMinutes must not be negative: " + maxClockSkewMinutes);
      startDay = startDay == null ? 0 : startDay;
      require(startDay >= 0, "host '" + name + "': startDay must not be negative: " + startDay);
      require(
          retireDay == null || retireDay > startDay,
          "host '" + name + "': retireDay must be after startDay " + startDay + ": " + retireDay);
      outages = outages == null ? List.of() : List.copyOf(outages);
    }

    private static int interval(Integer value, int dflt, String host, String field) {
      int v = value == null ? dflt : value;
      long max = ClientLifecycle.MAX_INTERVAL.toMinutes();
      require(
          v >= 15 && v <= max,
          "host '" + host + "': " + field + " must be 15-" + max + " minutes: " + v);
      return v;
    }
  }

  /**
   * A period a host does not answer: connections are refused. Days may be fractional ({@code day:
   * 0.25} is 06:00 on day 0); both are rounded to whole minutes.
   *
   * @param day when the outage starts, in days since day 0
   * @param days how long it lasts, in days, above 0
   */
  public record Outage(Double day, Double days) {
    /** Range checks. */
    public Outage {
      require(day != null && days != null, "an outage needs day and days");
      require(day >= 0 && day <= MAX_DAYS, "outage day must be 0-" + MAX_DAYS + ": " + day);
      require(days > 0 && days <= MAX_DAYS, "outage days must be above 0: " + days);
    }

    long fromMinute() {
      return Math.round(day * 1440);
    }

    long untilMinute() {
      return Math.round((day + days) * 1440);
    }
  }

  /**
   * One {@code _vlmcs._tcp} SRV record (RFC 2782), published from {@code fromDay} until before
   * {@code untilDay}.
   *
   * @param host the host it points at
   * @param priority 0–65535, lower is tried first; default 0
   * @param weight 0–65535, the share among records of one priority; default 100
   * @param fromDay the first day it is published; default 0
   * @param untilDay the first day it is no longer published; default never removed
   */
  public record Srv(
      String host, Integer priority, Integer weight, Integer fromDay, Integer untilDay) {
    /** Defaults and range checks. */
    public Srv {
      require(host != null, "a dns record must name its host");
      priority = priority == null ? 0 : priority;
      weight = weight == null ? 100 : weight;
      fromDay = fromDay == null ? 0 : fromDay;
      require(priority >= 0 && priority <= 0xFFFF, "dns priority must be 0-65535: " + priority);
      require(weight >= 0 && weight <= 0xFFFF, "dns weight must be 0-65535: " + weight);
      require(fromDay >= 0, "dns fromDay must not be negative: " + fromDay);
      require(
          untilDay == null || untilDay > fromDay,
          "dns untilDay must be after fromDay " + fromDay + ": " + untilDay);
    }
  }

  /**
   * Clients of one product, built from one image.
   *
   * @param name the fleet's name; clients are named {@code NAME-0001} and so on
   * @param product a catalog product by name or KMS counted ID ({@code kmsj products} lists them),
   *     such as {@code "Windows 11"}, {@code "Windows Server 2022"}, {@code "Office LTSC 2021"};
   *     its application ID and N policy come from the catalog
   * @param count how many machines, 1–1,000,000 (about 1.7 KB of heap each)
   * @param arrival when they are installed; default all on day 0
   * @param retireDay the day every machine of the fleet is switched off for good
   * @param lifetimeDays each machine is switched off this many days after it arrived
   * @param reimageEveryDays each machine is re-imaged (a new CMID, out-of-box grace again) this
   *     many days after it arrived and every as many days after that: VDI churn
   * @param clones how many machines share one CMID (cloned without sysprep /generalize), default 1
   * @param clockSkewMinutes how far the machines' clocks are ahead of the host's (negative: behind)
   * @param hardwareChangeDay the day every machine's hardware changes beyond tolerance (a move to
   *     new virtual hardware, say): licensed machines enter out-of-tolerance grace and try at once
   * @param kmsHost a host set by hand ({@code slmgr /skms}): DNS is not used; default DNS
   * @param hostCaching overrides the scenario's {@code hostCaching} for this fleet
   */
  public record Fleet(
      String name,
      String product,
      Integer count,
      Arrival arrival,
      Integer retireDay,
      Integer lifetimeDays,
      Integer reimageEveryDays,
      Integer clones,
      Integer clockSkewMinutes,
      Integer hardwareChangeDay,
      String kmsHost,
      Boolean hostCaching) {
    /** The largest fleet. */
    public static final int MAX_COUNT = 1_000_000;

    /** Defaults and range checks. */
    public Fleet {
      requireName(name, "a fleet");
      require(product != null && !product.isBlank(), "fleet '" + name + "' must name a product");
      require(count != null, "fleet '" + name + "' needs a count");
      require(
          count >= 1 && count <= MAX_COUNT,
          "fleet '" + name + "': count must be 1-" + MAX_COUNT + ": " + count);
      arrival = arrival == null ? new Arrival(0, null, null) : arrival;
      require(
          retireDay == null || retireDay >= 0,
          "fleet '" + name + "': retireDay must not be negative: " + retireDay);
      require(
          lifetimeDays == null || lifetimeDays >= 1,
          "fleet '" + name + "': lifetimeDays must be at least 1: " + lifetimeDays);
      require(
          reimageEveryDays == null || reimageEveryDays >= 1,
          "fleet '" + name + "': reimageEveryDays must be at least 1: " + reimageEveryDays);
      clones = clones == null ? 1 : clones;
      require(
          clones >= 1 && clones <= count,
          "fleet '" + name + "': clones must be 1-count (" + count + "): " + clones);
      clockSkewMinutes = clockSkewMinutes == null ? 0 : clockSkewMinutes;
      require(
          hardwareChangeDay == null || hardwareChangeDay >= 0,
          "fleet '" + name + "': hardwareChangeDay must not be negative: " + hardwareChangeDay);
      require(
          Math.abs((long) clockSkewMinutes) <= 366L * 24 * 60,
          "fleet '" + name + "': clockSkewMinutes must be within a year: " + clockSkewMinutes);
    }
  }

  /**
   * When a fleet's machines are installed: all on {@code day}, or {@code perDay} machines a day
   * from {@code fromDay} (evenly spread over each day) until the fleet is complete.
   *
   * @param day the day all arrive, at its start
   * @param fromDay the first day of arrivals at a rate; default 0
   * @param perDay machines a day, above 0
   */
  public record Arrival(Integer day, Integer fromDay, Double perDay) {
    /** Exactly one of {@code day} and {@code perDay}. */
    public Arrival {
      require(
          (day == null) != (perDay == null),
          "arrival must give either day, or perDay (with an optional fromDay)");
      require(day == null || day >= 0, "arrival day must not be negative: " + day);
      require(
          perDay == null || (perDay > 0 && Double.isFinite(perDay)),
          "arrival perDay must be above 0: " + perDay);
      require(fromDay == null || perDay != null, "arrival fromDay needs perDay");
      fromDay = fromDay == null ? 0 : fromDay;
      require(fromDay >= 0, "arrival fromDay must not be negative: " + fromDay);
    }

    /** When machine {@code i} (from 0) arrives, in minutes after day 0. */
    long arrivalMinute(int i) {
      if (day != null) {
        return day * 1440L;
      }
      return fromDay * 1440L + (long) Math.floor(i * 1440.0 / perDay);
    }
  }
}
