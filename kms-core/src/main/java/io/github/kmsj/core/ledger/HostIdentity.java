package io.github.kmsj.core.ledger;

import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.message.Epid;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What makes a host recognisable to its clients: one ePID per host-key group and one hardware ID.
 * Generated once and kept for the host's lifetime (a store keeps it across restarts).
 *
 * @param hwid the 8-byte hardware ID sent in V6 responses
 * @param ePids the ePID of each configured host-key group, by group ID
 */
public record HostIdentity(Bytes hwid, Map<String, Epid> ePids) {
  /** Checks. */
  public HostIdentity {
    Objects.requireNonNull(hwid, "hwid");
    if (hwid.length() != 8) {
      throw new IllegalArgumentException("hwid must be 8 bytes: " + hwid.length());
    }
    ePids = Map.copyOf(ePids);
  }

  /** The ePID of a group. */
  public Optional<Epid> ePid(String groupId) {
    return Optional.ofNullable(ePids.get(groupId));
  }
}
