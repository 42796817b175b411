package io.github.kmsj.protocol.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.ndr.TransferSyntax;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The negotiation table of docs/PROTOCOL.md §3.6 and the cases no vector records. */
final class BindNegotiationTest {
  private static final SyntaxId NDR32 = new SyntaxId(TransferSyntax.NDR32.uuid(), 2);
  private static final SyntaxId NDR64 = new SyntaxId(TransferSyntax.NDR64.uuid(), 1);
  private static final SyntaxId FOREIGN =
      new SyntaxId(Guid.parse("12345678-1234-abcd-ef00-0123456789ab"), 1);
  private static final ContextResult ACK3 =
      new ContextResult(ContextResult.NEGOTIATE_ACK, 3, SyntaxId.NULL);
  private static final ContextResult REJECT_2_2 =
      ContextResult.reject(ContextResult.TRANSFER_SYNTAXES_NOT_SUPPORTED);
  private static final ContextResult REJECT_2_1 =
      ContextResult.reject(ContextResult.ABSTRACT_SYNTAX_NOT_SUPPORTED);

  private static List<ContextResult> negotiate(RpcFeatures features, SyntaxId... transfers) {
    List<PresentationContext> offered = new ArrayList<>();
    for (SyntaxId t : transfers) {
      offered.add(PresentationContext.of(offered.size(), SyntaxId.KMS_INTERFACE, t));
    }
    return BindNegotiation.negotiate(offered, features);
  }

  @Test
  void negotiate_protocolTable_withNdr64Host() {
    RpcFeatures host = new RpcFeatures(true, true);
    SyntaxId btfn = SyntaxId.bindTimeFeatures(3);
    assertEquals(
        List.of(REJECT_2_2, ContextResult.accept(NDR64), ACK3),
        negotiate(host, NDR32, NDR64, btfn));
    assertEquals(List.of(ContextResult.accept(NDR32), ACK3), negotiate(host, NDR32, btfn));
    assertEquals(List.of(REJECT_2_2, ContextResult.accept(NDR64)), negotiate(host, NDR32, NDR64));
    assertEquals(List.of(ContextResult.accept(NDR32)), negotiate(host, NDR32));
  }

  @Test
  void negotiate_protocolTable_withoutNdr64Host() {
    RpcFeatures host = new RpcFeatures(false, true);
    SyntaxId btfn = SyntaxId.bindTimeFeatures(3);
    assertEquals(
        List.of(ContextResult.accept(NDR32), REJECT_2_2, ACK3),
        negotiate(host, NDR32, NDR64, btfn));
    assertEquals(List.of(ContextResult.accept(NDR32), ACK3), negotiate(host, NDR32, btfn));
    assertEquals(List.of(ContextResult.accept(NDR32), REJECT_2_2), negotiate(host, NDR32, NDR64));
    assertEquals(List.of(ContextResult.accept(NDR32)), negotiate(host, NDR32));
  }

  @Test
  void negotiate_btfnOff_rejectsTheBtfnContext() {
    assertEquals(
        List.of(ContextResult.accept(NDR32), REJECT_2_2),
        negotiate(new RpcFeatures(true, false), NDR32, SyntaxId.bindTimeFeatures(3)));
  }

  @Test
  void negotiate_unknownBtfnBits_acknowledgesOnlyTheSupportedOnes() {
    assertEquals(
        List.of(ContextResult.accept(NDR32), new ContextResult(3, 1, SyntaxId.NULL)),
        negotiate(RpcFeatures.MODERN, NDR32, SyntaxId.bindTimeFeatures(0xfd)));
    assertEquals(
        List.of(ContextResult.accept(NDR32), new ContextResult(3, 0, SyntaxId.NULL)),
        negotiate(RpcFeatures.MODERN, NDR32, SyntaxId.bindTimeFeatures(0x00)));
  }

  @Test
  void negotiate_foreignInterface_isRejectedWithReasonOneEvenWhenTheFeatureIsOff() {
    // vlmcsd answers (2,2) for a foreign NDR64 context when its NDR64 is off (docs/PROTOCOL.md §3.6
    // quirk);
    // kmsj names the real reason, abstract_syntax_not_supported.
    List<PresentationContext> offered =
        List.of(
            PresentationContext.of(0, FOREIGN, NDR32), PresentationContext.of(1, FOREIGN, NDR64));
    assertEquals(
        List.of(REJECT_2_1, REJECT_2_1),
        BindNegotiation.negotiate(offered, new RpcFeatures(false, true)));
  }

  @Test
  void negotiate_ndr64OfferedForAForeignInterface_stillDisplacesKmsNdr32() {
    // Rule 2: ndr64Offered looks at every context of the PDU, as vlmcsd does.
    List<PresentationContext> offered =
        List.of(
            PresentationContext.of(0, SyntaxId.KMS_INTERFACE, NDR32),
            PresentationContext.of(1, FOREIGN, NDR64));
    assertEquals(
        List.of(REJECT_2_2, REJECT_2_1), BindNegotiation.negotiate(offered, RpcFeatures.MODERN));
  }

  @Test
  void negotiate_severalTransferSyntaxesInOneContext_acceptsTheUsableOne() {
    List<PresentationContext> offered =
        List.of(new PresentationContext(0, SyntaxId.KMS_INTERFACE, List.of(NDR32, NDR64)));
    assertEquals(
        List.of(ContextResult.accept(NDR64)),
        BindNegotiation.negotiate(offered, RpcFeatures.MODERN));
    assertEquals(
        List.of(ContextResult.accept(NDR32)),
        BindNegotiation.negotiate(offered, new RpcFeatures(false, true)));
  }
}
