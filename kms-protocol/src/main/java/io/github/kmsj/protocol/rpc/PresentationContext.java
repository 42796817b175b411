package io.github.kmsj.protocol.rpc;

import java.util.List;
import java.util.Objects;

/**
 * One presentation-context element of a bind or alter_context ([C706] 12.6.3.1 {@code
 * p_cont_elem_t}).
 *
 * @param contextId {@code p_cont_id}, the ID requests will name (u16)
 * @param abstractSyntax the interface
 * @param transferSyntaxes the offered transfer syntaxes, at least one (KMS clients send one)
 */
public record PresentationContext(
    int contextId, SyntaxId abstractSyntax, List<SyntaxId> transferSyntaxes) {
  /** Range and size checks. */
  public PresentationContext {
    if (contextId < 0 || contextId > 0xffff) {
      throw new IllegalArgumentException("p_cont_id must be 0-65535: " + contextId);
    }
    Objects.requireNonNull(abstractSyntax, "abstractSyntax");
    transferSyntaxes = List.copyOf(transferSyntaxes);
    if (transferSyntaxes.isEmpty() || transferSyntaxes.size() > 255) {
      throw new IllegalArgumentException(
          "n_transfer_syn must be 1-255: " + transferSyntaxes.size());
    }
  }

  /** A context offering one transfer syntax. */
  public static PresentationContext of(
      int contextId, SyntaxId abstractSyntax, SyntaxId transferSyntax) {
    return new PresentationContext(contextId, abstractSyntax, List.of(transferSyntax));
  }
}
