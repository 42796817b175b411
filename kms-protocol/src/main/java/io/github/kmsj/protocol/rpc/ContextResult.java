package io.github.kmsj.protocol.rpc;

import java.util.Objects;

/**
 * The host's answer to one offered presentation context ([C706] 12.6.3.1 {@code p_result_t},
 * [MS-RPCE] 2.2.2.4).
 *
 * @param result 0 acceptance, 1 user_rejection, 2 provider_rejection, 3 negotiate_ack (u16)
 * @param reason for provider_rejection the reason; for negotiate_ack the accepted feature bitmask
 *     (u16)
 * @param transferSyntax the accepted syntax, or {@link SyntaxId#NULL}
 */
public record ContextResult(int result, int reason, SyntaxId transferSyntax) {
  /** acceptance. */
  public static final int ACCEPTANCE = 0;

  /** user_rejection. */
  public static final int USER_REJECTION = 1;

  /** provider_rejection. */
  public static final int PROVIDER_REJECTION = 2;

  /** negotiate_ack (bind time feature negotiation). */
  public static final int NEGOTIATE_ACK = 3;

  /** Rejection reason: abstract_syntax_not_supported. */
  public static final int ABSTRACT_SYNTAX_NOT_SUPPORTED = 1;

  /** Rejection reason: proposed_transfer_syntaxes_not_supported. */
  public static final int TRANSFER_SYNTAXES_NOT_SUPPORTED = 2;

  /** Range checks. */
  public ContextResult {
    if (result < 0 || result > 0xffff || reason < 0 || reason > 0xffff) {
      throw new IllegalArgumentException(
          "result and reason must be 0-65535: " + result + ", " + reason);
    }
    Objects.requireNonNull(transferSyntax, "transferSyntax");
  }

  /** Acceptance of a transfer syntax. */
  public static ContextResult accept(SyntaxId syntax) {
    return new ContextResult(ACCEPTANCE, 0, syntax);
  }

  /** A provider rejection with a reason. */
  public static ContextResult reject(int reason) {
    return new ContextResult(PROVIDER_REJECTION, reason, SyntaxId.NULL);
  }

  /** Whether the context was accepted. */
  public boolean isAccepted() {
    return result == ACCEPTANCE;
  }
}
