package io.github.kmsj.protocol.rpc;

import io.github.kmsj.protocol.ndr.TransferSyntax;
import java.util.ArrayList;
import java.util.List;

/**
 * The host's answer to the presentation contexts of one bind or alter_context (docs/PROTOCOL.md
 * §3.6, [MS-RPCE] 3.3.1.5.6): each offered context is accepted, acknowledged (BTFN) or rejected, in
 * order.
 */
public final class BindNegotiation {
  private BindNegotiation() {}

  /** The result for each context of {@code contexts}, in the same order. */
  public static List<ContextResult> negotiate(
      List<PresentationContext> contexts, RpcFeatures features) {
    boolean ndr64Offered = features.ndr64() && offers(contexts, TransferSyntax.NDR64);
    List<ContextResult> results = new ArrayList<>(contexts.size());
    for (PresentationContext context : contexts) {
      results.add(negotiate(context, features, ndr64Offered));
    }
    return results;
  }

  private static boolean offers(List<PresentationContext> contexts, TransferSyntax syntax) {
    for (PresentationContext c : contexts) {
      for (SyntaxId s : c.transferSyntaxes()) {
        if (s.uuid().equals(syntax.uuid())) {
          return true;
        }
      }
    }
    return false;
  }

  private static ContextResult negotiate(
      PresentationContext context, RpcFeatures features, boolean ndr64Offered) {
    boolean kms = context.abstractSyntax().uuid().equals(SyntaxId.KMS_INTERFACE.uuid());
    for (SyntaxId offered : context.transferSyntaxes()) {
      TransferSyntax syntax = TransferSyntax.ofUuid(offered.uuid());
      if (kms && syntax == TransferSyntax.NDR32 && !ndr64Offered) {
        return ContextResult.accept(new SyntaxId(syntax.uuid(), syntax.version()));
      }
      if (kms && syntax == TransferSyntax.NDR64 && ndr64Offered) {
        return ContextResult.accept(new SyntaxId(syntax.uuid(), syntax.version()));
      }
      if (offered.isBindTimeFeatureNegotiation() && features.bindTimeFeatureNegotiation()) {
        return new ContextResult(
            ContextResult.NEGOTIATE_ACK,
            offered.featureBitmask() & RpcFeatures.SUPPORTED_BTFN_BITS,
            SyntaxId.NULL);
      }
    }
    return ContextResult.reject(
        kms
            ? ContextResult.TRANSFER_SYNTAXES_NOT_SUPPORTED
            : ContextResult.ABSTRACT_SYNTAX_NOT_SUPPORTED);
  }
}
