package io.github.kmsj.core.ledger;

import io.github.kmsj.protocol.message.Guid;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable copy of a {@link ClientLedger}: what a snapshot holds, what an export writes, and
 * the query view of the host's clients and counts.
 *
 * @param asOf the ledger's time (its latest change), {@link Instant#EPOCH} for an empty ledger
 * @param applications every application ever counted, in the order first counted, with the highest
 *     N policy seen for it (which sets the table capacity, {@link ClientLedger#capacityFor})
 * @param clients every client record, least recently seen first
 */
public record LedgerState(
    Instant asOf, List<Application> applications, List<ClientRecord> clients) {

  /** An empty ledger. */
  public static final LedgerState EMPTY = new LedgerState(Instant.EPOCH, List.of(), List.of());

  /**
   * An application's count table settings and its count history.
   *
   * @param applicationId the application
   * @param highestPolicy the highest N policy counted for it, 0–1000
   * @param history the highest count of each UTC day on which a request of it was counted, oldest
   *     first, at most the last {@value ClientLedger#HISTORY_DAYS} days; days without a counted
   *     request have no entry
   */
  public record Application(Guid applicationId, int highestPolicy, List<DailyCount> history) {
    /**
     * Checks, and that the history's days are increasing and within {@link
     * ClientLedger#HISTORY_DAYS}.
     */
    public Application {
      Objects.requireNonNull(applicationId, "applicationId");
      ClientLedger.requirePolicy(highestPolicy);
      history = List.copyOf(history);
      for (int i = 1; i < history.size(); i++) {
        if (!history.get(i).day().isAfter(history.get(i - 1).day())) {
          throw new IllegalArgumentException(
              "the count history of application " + applicationId + " must have increasing days");
        }
      }
      if (!history.isEmpty()
          && history.get(history.size() - 1).day().toEpochDay() - history.get(0).day().toEpochDay()
              >= ClientLedger.HISTORY_DAYS) {
        throw new IllegalArgumentException(
            "the count history of application "
                + applicationId
                + " spans more than "
                + ClientLedger.HISTORY_DAYS
                + " days");
      }
    }

    /** An application without count history (a state written before kmsj kept one). */
    public Application(Guid applicationId, int highestPolicy) {
      this(applicationId, highestPolicy, List.of());
    }
  }

  /**
   * Checks nulls, that applications and clients are unique, that every client's application is
   * listed, that clients are ordered by {@code lastSeen} and that none was seen after {@code asOf}
   * (the ledger's time is its latest change, so a later {@code lastSeen} is inconsistent).
   */
  public LedgerState {
    ClientLedger.requireTime(asOf, "asOf");
    applications = List.copyOf(applications);
    clients = List.copyOf(clients);
    Set<Guid> apps = new HashSet<>();
    for (Application a : applications) {
      if (!apps.add(a.applicationId())) {
        throw new IllegalArgumentException("application " + a.applicationId() + " appears twice");
      }
    }
    Set<List<Guid>> seen = new HashSet<>();
    Instant previous = Instant.MIN;
    for (ClientRecord c : clients) {
      if (!apps.contains(c.applicationId())) {
        throw new IllegalArgumentException(
            "client " + c.cmid() + " names application " + c.applicationId() + ", not listed");
      }
      if (!seen.add(List.of(c.applicationId(), c.cmid()))) {
        throw new IllegalArgumentException(
            "client " + c.cmid() + " of application " + c.applicationId() + " appears twice");
      }
      if (c.lastSeen().isBefore(previous)) {
        throw new IllegalArgumentException("client records must be ordered by lastSeen");
      }
      if (c.lastSeen().isAfter(asOf)) {
        throw new IllegalArgumentException(
            "asOf " + asOf + " precedes client " + c.cmid() + "'s lastSeen " + c.lastSeen());
      }
      previous = c.lastSeen();
    }
  }

  /** Whether {@code c} counts at {@link #asOf}: it holds its place and was seen in the window. */
  public boolean isCounted(ClientRecord c) {
    return c.inCount() && asOf.isBefore(c.lastSeen().plus(ClientLedger.ACTIVE_WINDOW));
  }

  /** The count a request for {@code applicationId} would see at {@link #asOf}, itself excluded. */
  public int count(Guid applicationId) {
    int n = 0;
    for (ClientRecord c : clients) {
      if (c.applicationId().equals(applicationId) && isCounted(c)) {
        n++;
      }
    }
    return n;
  }

  /** The count of every application at {@link #asOf}, in the order first counted. */
  public Map<Guid, Integer> counts() {
    Map<Guid, Integer> counts = new LinkedHashMap<>();
    for (Application a : applications) {
      counts.put(a.applicationId(), 0);
    }
    for (ClientRecord c : clients) {
      if (isCounted(c)) {
        counts.merge(c.applicationId(), 1, Integer::sum);
      }
    }
    return counts;
  }

  /** The highest N policy counted for {@code applicationId}, or 0 if it never was. */
  public int highestPolicy(Guid applicationId) {
    for (Application a : applications) {
      if (a.applicationId().equals(applicationId)) {
        return a.highestPolicy();
      }
    }
    return 0;
  }

  /** The record of {@code cmid} for {@code applicationId}, if the ledger remembers it. */
  public Optional<ClientRecord> client(Guid applicationId, Guid cmid) {
    return clients.stream()
        .filter(c -> c.cmid().equals(cmid) && c.applicationId().equals(applicationId))
        .findFirst();
  }

  /** Every record of {@code cmid}, one per application it was counted for (usually one). */
  public List<ClientRecord> clientsWithCmid(Guid cmid) {
    return clients.stream().filter(c -> c.cmid().equals(cmid)).toList();
  }

  /** The clients counted for {@code applicationId} at {@link #asOf}, least recently seen first. */
  public List<ClientRecord> countedClients(Guid applicationId) {
    return clients.stream()
        .filter(c -> c.applicationId().equals(applicationId) && isCounted(c))
        .toList();
  }

  /** The clients whose latest counted request is more than {@code age} before {@link #asOf}. */
  public List<ClientRecord> clientsNotSeenFor(Duration age) {
    Instant cutoff = asOf.minus(age);
    List<ClientRecord> stale = new ArrayList<>();
    for (ClientRecord c : clients) {
      if (c.lastSeen().isBefore(cutoff)) {
        stale.add(c);
      }
    }
    return stale;
  }
}
