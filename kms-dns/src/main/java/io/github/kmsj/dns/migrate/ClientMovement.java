package io.github.kmsj.dns.migrate;

import io.github.kmsj.protocol.message.Guid;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which clients moved from the old host to the new one and whether the old host can be retired: a
 * pure function of both hosts' client lists (from their admin endpoints) and a time.
 *
 * <p>A client moved when the new host saw it at or after the cut-over. The old host is safe to
 * retire when it has seen no client for a renewal interval plus a margin (every activated client
 * renews at least that often, so a client still using it would have shown up) and every client it
 * saw since the cut-over has also been seen by the new host.
 *
 * @param cutover when clients were pointed at the new host
 * @param moved the clients the new host saw since the cut-over that the old host knew
 * @param onlyOld the clients the old host saw since the cut-over that the new host never saw
 * @param newOnly the clients only the new host knows (new machines)
 * @param lastSeenOnOld the latest request on the old host, if it saw any
 * @param quietFor how long the old host has seen no client at {@code now}
 * @param retireSafe whether the old host can be retired
 * @param reason why it can or cannot, one sentence
 */
public record ClientMovement(
    Instant cutover,
    List<Sighting> moved,
    List<Sighting> onlyOld,
    List<Sighting> newOnly,
    Optional<Instant> lastSeenOnOld,
    Duration quietFor,
    boolean retireSafe,
    String reason) {

  /** The probe CMID's workstation name: probes are no clients. */
  static final String PROBE_WORKSTATION = ProbeRequests.WORKSTATION;

  /** Copies the lists. */
  public ClientMovement {
    Objects.requireNonNull(cutover, "cutover");
    moved = List.copyOf(moved);
    onlyOld = List.copyOf(onlyOld);
    newOnly = List.copyOf(newOnly);
    Objects.requireNonNull(lastSeenOnOld, "lastSeenOnOld");
    Objects.requireNonNull(quietFor, "quietFor");
    Objects.requireNonNull(reason, "reason");
  }

  /**
   * One client as a host's admin endpoint lists it.
   *
   * @param cmid the client machine ID
   * @param workstationName its latest workstation name
   * @param firstSeen when the host first counted it
   * @param lastSeen when the host last counted it
   */
  public record Sighting(Guid cmid, String workstationName, Instant firstSeen, Instant lastSeen) {
    /** Checks. */
    public Sighting {
      Objects.requireNonNull(cmid, "cmid");
      Objects.requireNonNull(workstationName, "workstationName");
      Objects.requireNonNull(firstSeen, "firstSeen");
      Objects.requireNonNull(lastSeen, "lastSeen");
    }
  }

  /**
   * Compares the two client lists.
   *
   * @param cutover when the SRV records were switched; empty: when the new host first saw a client
   * @param renewal the renewal interval clients were given
   * @param margin added to the renewal interval before the old host counts as quiet
   */
  public static ClientMovement of(
      List<Sighting> old,
      List<Sighting> neu,
      Optional<Instant> cutover,
      Instant now,
      Duration renewal,
      Duration margin) {
    List<Sighting> oldClients = clients(old);
    List<Sighting> newClients = clients(neu);
    Instant cut =
        cutover.orElseGet(
            () -> newClients.stream().map(Sighting::firstSeen).min(Instant::compareTo).orElse(now));
    Map<Guid, Sighting> onNew = new HashMap<>();
    newClients.forEach(s -> onNew.merge(s.cmid(), s, ClientMovement::later));
    Map<Guid, Sighting> onOld = new HashMap<>();
    oldClients.forEach(s -> onOld.merge(s.cmid(), s, ClientMovement::later));
    List<Sighting> moved = new ArrayList<>();
    List<Sighting> newOnly = new ArrayList<>();
    for (Sighting n : onNew.values()) {
      if (!n.lastSeen().isBefore(cut) && onOld.containsKey(n.cmid())) {
        moved.add(n);
      } else if (!onOld.containsKey(n.cmid())) {
        newOnly.add(n);
      }
    }
    List<Sighting> onlyOld = new ArrayList<>();
    for (Sighting o : onOld.values()) {
      if (!o.lastSeen().isBefore(cut) && !onNew.containsKey(o.cmid())) {
        onlyOld.add(o);
      }
    }
    moved.sort((a, b) -> a.lastSeen().compareTo(b.lastSeen()));
    onlyOld.sort((a, b) -> a.lastSeen().compareTo(b.lastSeen()));
    newOnly.sort((a, b) -> a.lastSeen().compareTo(b.lastSeen()));
    Optional<Instant> last =
        onOld.values().stream().map(Sighting::lastSeen).max(Instant::compareTo);
    Duration quiet = last.map(l -> Duration.between(l, now)).orElse(Duration.ZERO);
    Duration needed = renewal.plus(margin);
    boolean quietEnough = last.isEmpty() || quiet.compareTo(needed) >= 0;
    boolean safe = quietEnough && onlyOld.isEmpty();
    String reason =
        !onlyOld.isEmpty()
            ? onlyOld.size()
                + " client(s) used the old host after the cut-over and never the new one"
            : !quietEnough
                ? "the old host saw a client "
                    + quiet.toMinutes()
                    + " min ago; wait until it has been quiet for the renewal interval plus margin ("
                    + needed.toMinutes()
                    + " min)"
                : last.isEmpty()
                    ? "the old host has no client"
                    : "no client for "
                        + quiet.toMinutes()
                        + " min (renewal interval plus margin: "
                        + needed.toMinutes()
                        + " min), and every client it saw since the cut-over is on the new host";
    return new ClientMovement(cut, moved, onlyOld, newOnly, last, quiet, safe, reason);
  }

  private static List<Sighting> clients(List<Sighting> all) {
    return all.stream().filter(s -> !s.workstationName().equals(PROBE_WORKSTATION)).toList();
  }

  private static Sighting later(Sighting a, Sighting b) {
    return a.lastSeen().isAfter(b.lastSeen()) ? a : b;
  }
}
