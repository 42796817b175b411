package io.github.kmsj.core.client;

import io.github.kmsj.protocol.ndr.TransferSyntax;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a host accepted in an RPC bind ([MS-RPCE] 3.3.1.5.3): which of the offered transfer
 * syntaxes, and whether it acknowledged bind-time feature negotiation.
 *
 * @param acceptedSyntaxes the transfer syntaxes the host accepted
 * @param acknowledgedFeatures the BTFN bitmask the host returned, empty when it rejected BTFN or
 *     none was offered
 */
public record BindOutcome(
    Set<TransferSyntax> acceptedSyntaxes, Optional<Integer> acknowledgedFeatures) {
  /** Copies the set. */
  public BindOutcome {
    acceptedSyntaxes = Set.copyOf(acceptedSyntaxes);
    Objects.requireNonNull(acknowledgedFeatures, "acknowledgedFeatures");
  }

  /** Whether the host accepted NDR64. */
  public boolean acceptsNdr64() {
    return acceptedSyntaxes.contains(TransferSyntax.NDR64);
  }

  /** Whether the host acknowledged bind-time feature negotiation. */
  public boolean acceptsBtfn() {
    return acknowledgedFeatures.isPresent();
  }
}
