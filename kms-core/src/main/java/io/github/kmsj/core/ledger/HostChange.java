package io.github.kmsj.core.ledger;

import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.LicenseStatus;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One change of a host's state, as the host makes it and a store journals it. Replaying the changes
 * in order on the last snapshot reproduces the ledger exactly, because {@link ClientLedger#apply}
 * is a function of the ledger and the change.
 */
public sealed interface HostChange
    permits HostChange.IdentitySet, HostChange.ClientSeen, HostChange.ClockStepped {

  /**
   * The host's clock was confirmed to have stepped back to {@code to}: every time the ledger holds
   * that is later than {@code to} becomes {@code to}, so no client keeps a last-seen date in the
   * future of later readings (see {@link ClientLedger#apply(HostChange)}).
   *
   * @param to the host's time after the step
   */
  record ClockStepped(Instant to) implements HostChange {
    /** Null check. */
    public ClockStepped {
      ClientLedger.requireTime(to, "to");
    }
  }

  /**
   * The host's identity was generated or completed (an ePID for a newly configured host-key group).
   *
   * @param identity the whole identity from now on
   */
  record IdentitySet(HostIdentity identity) implements HostChange {
    /** Null check. */
    public IdentitySet {
      Objects.requireNonNull(identity, "identity");
    }
  }

  /**
   * A request was admitted and counted. Readiness probes and refused requests are never changes.
   *
   * @param time the host's time for the request
   * @param applicationId the application
   * @param cmid the client machine ID
   * @param requiredClientCount the client's N policy, 0–{@link ClientLedger#MAX_POLICY}
   * @param workstationName the client's name
   * @param skuId the edition
   * @param kmsCountedId the product group
   * @param licenseStatus the client's licence state
   * @param remote the client's address, when known
   */
  record ClientSeen(
      Instant time,
      Guid applicationId,
      Guid cmid,
      int requiredClientCount,
      String workstationName,
      Guid skuId,
      Guid kmsCountedId,
      LicenseStatus licenseStatus,
      Optional<InetSocketAddress> remote)
      implements HostChange {
    /** Checks nulls, the time, the name's length and the policy range. */
    public ClientSeen {
      ClientLedger.requireTime(time, "time");
      Objects.requireNonNull(applicationId, "applicationId");
      Objects.requireNonNull(cmid, "cmid");
      ClientLedger.requireName(workstationName, "workstationName");
      Objects.requireNonNull(skuId, "skuId");
      Objects.requireNonNull(kmsCountedId, "kmsCountedId");
      Objects.requireNonNull(licenseStatus, "licenseStatus");
      Objects.requireNonNull(remote, "remote");
      ClientLedger.requirePolicy(requiredClientCount);
    }
  }
}
