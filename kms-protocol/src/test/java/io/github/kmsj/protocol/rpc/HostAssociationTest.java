package io.github.kmsj.protocol.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.DecodeLimits;
import io.github.kmsj.protocol.LimitExceededException;
import io.github.kmsj.protocol.ndr.KmsStubCodec;
import io.github.kmsj.protocol.ndr.TransferSyntax;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class HostAssociationTest {
  private static final SyntaxId NDR32 = new SyntaxId(TransferSyntax.NDR32.uuid(), 2);
  private static final SyntaxId NDR64 = new SyntaxId(TransferSyntax.NDR64.uuid(), 1);

  private static HostAssociation host(RpcFeatures features, DecodeLimits limits) {
    return new HostAssociation(features, 0x1234, "1688", limits);
  }

  private static RequestPdu request(int flags, int callId, int contextId, int opnum, byte[] stub) {
    return new RequestPdu(
        PduHeader.of(flags, callId),
        stub.length,
        contextId,
        opnum,
        Optional.empty(),
        Bytes.of(stub));
  }

  private static BindPdu bind(PduType type, int flags, PresentationContext... contexts) {
    return new BindPdu(type, PduHeader.of(flags, 2), 5840, 5840, 0, List.of(contexts));
  }

  private static FaultPdu fault(HostAssociation.Outcome outcome) {
    return assertInstanceOf(
        FaultPdu.class, assertInstanceOf(HostAssociation.Reply.class, outcome).pdu());
  }

  private static KmsCall dispatched(HostAssociation.Outcome outcome) {
    return assertInstanceOf(HostAssociation.Dispatch.class, outcome).call();
  }

  @Test
  void request_beforeBind_faultsUnknownInterfaceWithTheRequestsCallId() {
    HostAssociation host = host(RpcFeatures.MODERN, DecodeLimits.DEFAULT);
    FaultPdu fault = fault(host.accept(request(PfcFlags.FIRST_LAST, 9, 0, 0, new byte[268])));
    assertEquals(NcaStatus.UNK_IF, fault.status());
    assertEquals(0x1c010003, fault.status().value());
    assertEquals(9, fault.callId());
    assertEquals(0x23, fault.header().flags());
    assertEquals(0, fault.allocHint());
    assertEquals(
        "050003231000000020000000090000000000000000000000030001" + "1c00000000",
        Bytes.of(PduCodec.encode(fault)).toHex());
    assertFalse(host.isBound());
  }

  @Test
  void request_withOpnumOne_faultsOperationRangeError() {
    HostAssociation host = host(RpcFeatures.MODERN, DecodeLimits.DEFAULT);
    host.accept(bind(PduType.BIND, 0x13, PresentationContext.of(0, SyntaxId.KMS_INTERFACE, NDR32)));
    FaultPdu fault = fault(host.accept(request(PfcFlags.FIRST_LAST, 2, 0, 1, new byte[268])));
    assertEquals(NcaStatus.OP_RNG_ERROR, fault.status());
    assertEquals(0x1c010002, fault.status().value());
    assertEquals(2, fault.callId());
    assertEquals(0x23, fault.header().flags());
  }

  @Test
  void request_onUnacceptedContext_faultsUnknownInterface() {
    HostAssociation host = host(RpcFeatures.MODERN, DecodeLimits.DEFAULT);
    // NDR32 is offered but rejected because NDR64 is accepted in the same bind (docs/PROTOCOL.md
    // §3.6).
    host.accept(
        bind(
            PduType.BIND,
            0x13,
            PresentationContext.of(0, SyntaxId.KMS_INTERFACE, NDR32),
            PresentationContext.of(1, SyntaxId.KMS_INTERFACE, NDR64)));
    assertEquals(Map.of(1, TransferSyntax.NDR64), host.acceptedContexts());
    assertEquals(
        NcaStatus.UNK_IF,
        fault(host.accept(request(PfcFlags.FIRST_LAST, 2, 0, 0, new byte[8]))).status());
  }

  @Test
  void alterContext_afterNdr64Bind_addsNdr32AndKeepsNdr64() {
    HostAssociation host = host(RpcFeatures.MODERN, DecodeLimits.DEFAULT);
    BindAckPdu ack =
        (BindAckPdu)
            ((HostAssociation.Reply)
                    host.accept(
                        bind(
                            PduType.BIND,
                            0x13,
                            PresentationContext.of(0, SyntaxId.KMS_INTERFACE, NDR32),
                            PresentationContext.of(1, SyntaxId.KMS_INTERFACE, NDR64),
                            PresentationContext.of(
                                2, SyntaxId.KMS_INTERFACE, SyntaxId.bindTimeFeatures(3)))))
                .pdu();
    assertEquals(PduType.BIND_ACK, ack.type());
    assertEquals(0x13, ack.header().flags());
    assertEquals("1688", ack.secondaryAddress());
    assertEquals(
        List.of(
            ContextResult.reject(2),
            ContextResult.accept(NDR64),
            new ContextResult(3, 3, SyntaxId.NULL)),
        ack.results());
    BindAckPdu resp =
        (BindAckPdu)
            ((HostAssociation.Reply)
                    host.accept(
                        bind(
                            PduType.ALTER_CONTEXT,
                            0x13,
                            PresentationContext.of(0, SyntaxId.KMS_INTERFACE, NDR32))))
                .pdu();
    assertEquals(PduType.ALTER_CONTEXT_RESP, resp.type());
    assertEquals(0x03, resp.header().flags());
    assertEquals("", resp.secondaryAddress());
    assertEquals(0x1234, resp.assocGroupId());
    assertEquals(List.of(ContextResult.accept(NDR32)), resp.results());
    assertEquals(Map.of(0, TransferSyntax.NDR32, 1, TransferSyntax.NDR64), host.acceptedContexts());

    byte[] ndr32Stub = KmsStubCodec.encodeRequest(TransferSyntax.NDR32, new byte[260]);
    KmsCall first = dispatched(host.accept(request(PfcFlags.FIRST_LAST, 2, 0, 0, ndr32Stub)));
    assertEquals(TransferSyntax.NDR32, first.syntax());
    assertEquals(0, first.contextId());
    byte[] ndr64Stub = KmsStubCodec.encodeRequest(TransferSyntax.NDR64, new byte[260]);
    KmsCall second = dispatched(host.accept(request(PfcFlags.FIRST_LAST, 3, 1, 0, ndr64Stub)));
    assertEquals(TransferSyntax.NDR64, second.syntax());
    assertEquals(3, second.callId());
    assertArrayEquals(ndr64Stub, second.stub());

    ResponsePdu response = host.respond(second, new byte[] {1, 2, 3, 4});
    assertEquals(3, response.callId());
    assertEquals(1, response.contextId());
    assertEquals(4, response.allocHint());
    assertEquals(PfcFlags.FIRST_LAST, response.header().flags());
  }

  @Test
  void request_inThreeFragments_isReassembled() {
    HostAssociation host = host(RpcFeatures.MODERN, DecodeLimits.DEFAULT);
    host.accept(bind(PduType.BIND, 0x13, PresentationContext.of(0, SyntaxId.KMS_INTERFACE, NDR32)));
    byte[] stub = KmsStubCodec.encodeRequest(TransferSyntax.NDR32, new byte[260]);
    stub[100] = 42;
    stub[200] = 43;
    assertInstanceOf(
        HostAssociation.Ignore.class,
        host.accept(
            request(PfcFlags.FIRST_FRAG, 5, 0, 0, java.util.Arrays.copyOfRange(stub, 0, 90))));
    assertInstanceOf(
        HostAssociation.Ignore.class,
        host.accept(request(0, 5, 0, 0, java.util.Arrays.copyOfRange(stub, 90, 180))));
    KmsCall call =
        dispatched(
            host.accept(
                request(
                    PfcFlags.LAST_FRAG,
                    5,
                    0,
                    0,
                    java.util.Arrays.copyOfRange(stub, 180, stub.length))));
    assertArrayEquals(stub, call.stub());
    assertEquals(5, call.callId());
    // the next whole request is not glued to the previous fragments
    byte[] next = KmsStubCodec.encodeRequest(TransferSyntax.NDR32, new byte[10]);
    assertArrayEquals(
        next, dispatched(host.accept(request(PfcFlags.FIRST_LAST, 6, 0, 0, next))).stub());
  }

  @Test
  void request_continuationOfAnotherCall_faultsProtocolErrorWithItsCallId() {
    HostAssociation host = host(RpcFeatures.MODERN, DecodeLimits.DEFAULT);
    host.accept(bind(PduType.BIND, 0x13, PresentationContext.of(0, SyntaxId.KMS_INTERFACE, NDR32)));
    byte[] stub = KmsStubCodec.encodeRequest(TransferSyntax.NDR32, new byte[20]);
    assertInstanceOf(
        HostAssociation.Ignore.class,
        host.accept(
            request(PfcFlags.FIRST_FRAG, 5, 0, 0, java.util.Arrays.copyOfRange(stub, 0, 10))));
    // the LAST fragment of call 6, whose FIRST fragment never came, is not a whole call
    FaultPdu fault =
        fault(
            host.accept(
                request(PfcFlags.LAST_FRAG, 6, 0, 0, java.util.Arrays.copyOfRange(stub, 10, 28))));
    assertEquals(6, fault.callId());
    assertEquals(NcaStatus.PROTO_ERROR, fault.status());
  }

  @Test
  void request_lastFragmentWithoutFirst_faultsProtocolError() {
    HostAssociation host = host(RpcFeatures.MODERN, DecodeLimits.DEFAULT);
    host.accept(bind(PduType.BIND, 0x13, PresentationContext.of(0, SyntaxId.KMS_INTERFACE, NDR32)));
    byte[] stub = KmsStubCodec.encodeRequest(TransferSyntax.NDR32, new byte[20]);
    FaultPdu fault = fault(host.accept(request(PfcFlags.LAST_FRAG, 7, 0, 0, stub)));
    assertEquals(7, fault.callId());
    assertEquals(NcaStatus.PROTO_ERROR, fault.status());
  }

  @Test
  void request_moreFragmentsThanAllowed_exceedsTheLimit() {
    HostAssociation host = host(RpcFeatures.MODERN, new DecodeLimits(4096, 2, 8, 8192));
    host.accept(bind(PduType.BIND, 0x13, PresentationContext.of(0, SyntaxId.KMS_INTERFACE, NDR32)));
    host.accept(request(PfcFlags.FIRST_FRAG, 5, 0, 0, new byte[10]));
    host.accept(request(0, 5, 0, 0, new byte[10]));
    LimitExceededException e =
        assertThrows(
            LimitExceededException.class,
            () -> host.accept(request(PfcFlags.LAST_FRAG, 5, 0, 0, new byte[10])));
    assertEquals(2, e.allowed());
    assertEquals(3, e.actual());
  }

  @Test
  void request_fragmentsAboveTheStubLimit_exceedTheLimit() {
    HostAssociation host = host(RpcFeatures.MODERN, new DecodeLimits(4096, 8, 8, 100));
    host.accept(bind(PduType.BIND, 0x13, PresentationContext.of(0, SyntaxId.KMS_INTERFACE, NDR32)));
    host.accept(request(PfcFlags.FIRST_FRAG, 5, 0, 0, new byte[60]));
    LimitExceededException e =
        assertThrows(
            LimitExceededException.class, () -> host.accept(request(0, 5, 0, 0, new byte[60])));
    assertEquals(100, e.allowed());
    assertEquals(120, e.actual());
  }

  @Test
  void request_singleFragmentAboveTheStubLimit_exceedsTheLimit() {
    HostAssociation host = host(RpcFeatures.MODERN, new DecodeLimits(4096, 8, 8, 100));
    host.accept(bind(PduType.BIND, 0x13, PresentationContext.of(0, SyntaxId.KMS_INTERFACE, NDR32)));
    assertThrows(
        LimitExceededException.class,
        () -> host.accept(request(PfcFlags.FIRST_LAST, 5, 0, 0, new byte[101])));
  }

  @Test
  void accept_otherPduTypes_closeOrAreIgnored() {
    HostAssociation host = host(RpcFeatures.MODERN, DecodeLimits.DEFAULT);
    PduHeader h = PduHeader.of(PfcFlags.FIRST_LAST, 2);
    assertInstanceOf(
        HostAssociation.Ignore.class,
        host.accept(new OtherPdu(PduType.ORPHANED, h, Bytes.of(new byte[0]))));
    assertInstanceOf(
        HostAssociation.Ignore.class,
        host.accept(new OtherPdu(PduType.CO_CANCEL, h, Bytes.of(new byte[0]))));
    assertInstanceOf(
        HostAssociation.Close.class,
        host.accept(new OtherPdu(PduType.AUTH3, h, Bytes.of(new byte[4]))));
    assertInstanceOf(
        HostAssociation.Close.class, host.accept(HostAssociation.fault(2, 0, NcaStatus.UNK_IF)));
    assertTrue(!host.isBound());
  }

  @Test
  void bind_unknownInterface_isRejectedWithAbstractSyntaxNotSupported() {
    HostAssociation host = host(new RpcFeatures(false, true), DecodeLimits.DEFAULT);
    SyntaxId foreign =
        new SyntaxId(
            io.github.kmsj.protocol.message.Guid.parse("12345678-1234-abcd-ef00-0123456789ab"), 1);
    BindAckPdu ack =
        (BindAckPdu)
            ((HostAssociation.Reply)
                    host.accept(
                        bind(PduType.BIND, 0x03, PresentationContext.of(0, foreign, NDR32))))
                .pdu();
    assertEquals(
        List.of(ContextResult.reject(ContextResult.ABSTRACT_SYNTAX_NOT_SUPPORTED)), ack.results());
    assertEquals(0x03, ack.header().flags());
    assertEquals(Map.of(), host.acceptedContexts());
  }
}
