package io.github.kmsj.sim;

import java.util.List;

/**
 * What a run comes to.
 *
 * @param firstNotificationDay when the first client entered notification, in days since day 0; null
 *     if none did
 * @param clientsAtEnd machines installed and not retired at the end
 * @param licensedAtEnd of those, how many were licensed
 * @param licensedShareAtEnd {@code licensedAtEnd / clientsAtEnd}, 0 without clients
 * @param clonesFound CMIDs that a host saw with more than one workstation name (cloned images), by
 *     the host's own rule ({@code CloneDetection}) over the records it still keeps at the end
 * @param clonedMachines the workstation names behind those CMIDs: a lower bound, since a host
 *     remembers the last {@value io.github.kmsj.core.ledger.ClientRecord#MAX_SEEN} names of a CMID
 * @param hosts one entry per host, in scenario order
 */
public record Summary(
    Double firstNotificationDay,
    int clientsAtEnd,
    int licensedAtEnd,
    double licensedShareAtEnd,
    int clonesFound,
    int clonedMachines,
    List<HostSummary> hosts) {

  /** Copies the list. */
  public Summary {
    hosts = List.copyOf(hosts);
  }

  /**
   * One host over the run.
   *
   * @param name the host
   * @param requests requests it received
   * @param finalCounts its count per application at the end
   * @param idleFromDay the first sampling day from which no client depends on it (has it as cached
   *     host) and none sends it a request, to the end; null if clients still did at the end
   * @param safeToRetireDay the earliest day it could have been switched off without any client
   *     depending on it: {@code idleFromDay} if that is before its retirement (or it is never
   *     retired), else null
   * @param retireDay the day the scenario retires it, null if never
   * @param dependentsAtRetirement clients that had it as cached host when it was retired; null if
   *     never retired
   */
  public record HostSummary(
      String name,
      long requests,
      List<Integer> finalCounts,
      Double idleFromDay,
      Double safeToRetireDay,
      Integer retireDay,
      Integer dependentsAtRetirement) {
    /** Copies the list. */
    public HostSummary {
      finalCounts = List.copyOf(finalCounts);
    }
  }
}
