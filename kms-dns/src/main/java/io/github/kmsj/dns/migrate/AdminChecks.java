package io.github.kmsj.dns.migrate;

import io.github.kmsj.core.admin.ClientFilter;
import io.github.kmsj.core.admin.HostAdmin;
import io.github.kmsj.core.ledger.ClientRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@code clients.moved} and {@code retire.safe} checks of a {@link MigrationCheck}, from both
 * hosts' admin surfaces ({@link ClientMovement} over their client lists).
 */
public final class AdminChecks {
  private AdminChecks() {}

  /** A client list and a renewal interval: what the checks need from one host. */
  public interface ClientSource {
    /** Every client the host knows. */
    List<ClientMovement.Sighting> clients();

    /** The renewal interval the host gives its clients. */
    Duration renewalInterval();

    /** A host in this process, through its {@link HostAdmin}. */
    static ClientSource of(HostAdmin admin) {
      Objects.requireNonNull(admin, "admin");
      return new ClientSource() {
        @Override
        public List<ClientMovement.Sighting> clients() {
          List<ClientMovement.Sighting> out = new ArrayList<>();
          for (ClientRecord c : admin.clients(ClientFilter.ALL)) {
            out.add(
                new ClientMovement.Sighting(
                    c.cmid(), c.workstationName(), c.firstSeen(), c.lastSeen()));
          }
          return out;
        }

        @Override
        public Duration renewalInterval() {
          return admin.settings().renewalInterval();
        }
      };
    }
  }

  /**
   * The checks.
   *
   * @param cutover when the SRV records were switched; empty: the new host's first client
   * @param margin added to the old host's renewal interval before it counts as quiet
   * @param now the time to judge at
   */
  public static MigrationCheck.AdminCheck of(
      ClientSource old,
      ClientSource neu,
      Optional<Instant> cutover,
      Duration margin,
      Supplier<Instant> now) {
    return () -> {
      ClientMovement m;
      try {
        m =
            ClientMovement.of(
                old.clients(), neu.clients(), cutover, now.get(), old.renewalInterval(), margin);
      } catch (RuntimeException e) {
        return List.of(
            new Check(
                "clients.moved",
                CheckStatus.FAIL,
                "the admin surfaces could not be read: " + e.getMessage(),
                List.of()));
      }
      List<String> details = new ArrayList<>();
      m.moved()
          .forEach(
              s ->
                  details.add(
                      "moved: "
                          + s.cmid()
                          + " "
                          + s.workstationName()
                          + ", last seen on new "
                          + s.lastSeen()));
      m.onlyOld()
          .forEach(
              s ->
                  details.add(
                      "only on old: "
                          + s.cmid()
                          + " "
                          + s.workstationName()
                          + ", last seen "
                          + s.lastSeen()));
      m.newOnly().forEach(s -> details.add("new machine: " + s.cmid() + " " + s.workstationName()));
      Check moved =
          new Check(
              "clients.moved",
              m.onlyOld().isEmpty() ? CheckStatus.PASS : CheckStatus.WARN,
              m.moved().size()
                  + " client(s) moved since the cut-over at "
                  + m.cutover()
                  + ", "
                  + m.onlyOld().size()
                  + " used only the old host since, "
                  + m.newOnly().size()
                  + " new",
              details);
      Check retire =
          new Check(
              "retire.safe",
              m.retireSafe() ? CheckStatus.PASS : CheckStatus.WARN,
              (m.retireSafe() ? "the old host can be retired: " : "not yet safe to retire: ")
                  + m.reason(),
              List.of(
                  "the old host last saw a client "
                      + m.lastSeenOnOld().map(Instant::toString).orElse("never")
                      + "; renewal interval "
                      + old.renewalInterval().toMinutes()
                      + " min plus margin "
                      + margin.toMinutes()
                      + " min"));
      return List.of(moved, retire);
    };
  }
}
