package io.github.kmsj.core.ledger;

import io.github.kmsj.protocol.message.Guid;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds client machine IDs that several machines share: a CMID seen from more than one workstation
 * name, and seen within a window. Machines cloned from one image without {@code sysprep
 * /generalize} (or {@code slmgr /rearm}) send the same CMID, so a host counts them as one: the
 * commonest reason for a count stuck below its threshold. Pure functions of a {@link LedgerState}
 * or {@link ClientRecord} and a time.
 *
 * <p>Notes: a record keeps the last {@link ClientRecord#MAX_SEEN} distinct names, most recently
 * used last, but not when each was used. So one machine renamed once looks the same as two clones
 * until its record is forgotten; the names and addresses are given so that an administrator can
 * tell. Clones alternate their names, so {@link #becameClone} fires once per CMID and again only
 * after the CMID was silent for a whole window.
 */
public final class CloneDetection {
  /** The default window: the 30 days a host counts a CMID for. */
  public static final Duration DEFAULT_WINDOW = ClientLedger.ACTIVE_WINDOW;

  private CloneDetection() {}

  /**
   * One CMID that more than one workstation name used.
   *
   * @param cmid the shared client machine ID
   * @param applicationId the application it was counted for
   * @param workstationNames the names seen, oldest first, the latest last
   * @param addresses the source addresses seen, oldest first
   * @param firstSeen when the host first counted the CMID
   * @param lastSeen when the host last counted it
   * @param requestCount the requests counted for it
   */
  public record SuspectedClone(
      Guid cmid,
      Guid applicationId,
      List<String> workstationNames,
      List<InetAddress> addresses,
      Instant firstSeen,
      Instant lastSeen,
      long requestCount) {
    /** Checks nulls and copies the lists. */
    public SuspectedClone {
      Objects.requireNonNull(cmid, "cmid");
      Objects.requireNonNull(applicationId, "applicationId");
      workstationNames = List.copyOf(workstationNames);
      addresses = List.copyOf(addresses);
      Objects.requireNonNull(firstSeen, "firstSeen");
      Objects.requireNonNull(lastSeen, "lastSeen");
    }

    /** The clone view of a record. */
    public static SuspectedClone of(ClientRecord r) {
      return new SuspectedClone(
          r.cmid(),
          r.applicationId(),
          r.workstationNames(),
          r.addresses(),
          r.firstSeen(),
          r.lastSeen(),
          r.requestCount());
    }
  }

  /**
   * Whether {@code record} is a suspected clone at {@code now}: it lists more than one workstation
   * name and was seen less than {@code window} before {@code now}.
   */
  public static boolean isClone(ClientRecord record, Instant now, Duration window) {
    requireWindow(window);
    return record.workstationNames().size() > 1 && record.lastSeen().isAfter(now.minus(window));
  }

  /**
   * Whether the request that turned {@code before} into {@code after} made the CMID a clone: it is
   * one now and was not one just before the request (a new CMID has no {@code before}).
   */
  public static boolean becameClone(
      Optional<ClientRecord> before, ClientRecord after, Duration window) {
    Objects.requireNonNull(before, "before");
    return isClone(after, after.lastSeen(), window)
        && !before.filter(b -> isClone(b, after.lastSeen(), window)).isPresent();
  }

  /** Every suspected clone of the ledger at {@code now}, most recently seen first. */
  public static List<SuspectedClone> find(LedgerState state, Instant now, Duration window) {
    requireWindow(window);
    List<SuspectedClone> found = new ArrayList<>();
    List<ClientRecord> clients = state.clients();
    for (int i = clients.size() - 1; i >= 0; i--) {
      ClientRecord c = clients.get(i);
      if (isClone(c, now, window)) {
        found.add(SuspectedClone.of(c));
      }
    }
    return found;
  }

  /**
   * How many suspected clones each application has at {@code now}, for every application of the
   * ledger (0 included), in the ledger's order.
   */
  public static Map<Guid, Integer> countByApplication(
      LedgerState state, Instant now, Duration window) {
    Map<Guid, Integer> counts = new LinkedHashMap<>();
    state.applications().forEach(a -> counts.put(a.applicationId(), 0));
    for (SuspectedClone c : find(state, now, window)) {
      counts.merge(c.applicationId(), 1, Integer::sum);
    }
    return counts;
  }

  private static void requireWindow(Duration window) {
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("clone window must be positive: " + window);
    }
  }
}
