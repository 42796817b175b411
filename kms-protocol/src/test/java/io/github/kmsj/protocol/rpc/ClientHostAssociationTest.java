package io.github.kmsj.protocol.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.DecodeLimits;
import io.github.kmsj.protocol.message.HResult;
import io.github.kmsj.protocol.ndr.KmsStubCodec;
import io.github.kmsj.protocol.ndr.StubResponse;
import io.github.kmsj.protocol.ndr.TransferSyntax;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A kmsj client and a kmsj host talking to each other, through encoded bytes, for every
 * combination.
 */
final class ClientHostAssociationTest {

  static Stream<Arguments> combinations() {
    List<Arguments> all = new ArrayList<>();
    for (boolean ndr64 : new boolean[] {false, true}) {
      for (boolean btfn : new boolean[] {false, true}) {
        for (boolean mpx : new boolean[] {false, true}) {
          for (boolean hostNdr64 : new boolean[] {false, true}) {
            for (boolean hostBtfn : new boolean[] {false, true}) {
              all.add(
                  Arguments.of(
                      new ClientRpcOptions(ndr64, btfn, mpx),
                      new RpcFeatures(hostNdr64, hostBtfn)));
            }
          }
        }
      }
    }
    return all.stream();
  }

  /** Encodes, frames and decodes a PDU as the wire would. */
  private static Pdu wire(Pdu pdu) {
    PduDecoder decoder = new PduDecoder(DecodeLimits.DEFAULT);
    decoder.feed(PduCodec.encode(pdu));
    return decoder.next().orElseThrow();
  }

  @ParameterizedTest(name = "client {0}, host {1}")
  @MethodSource("combinations")
  void association_everyOptionCombination_negotiatesAndCarriesThreeCalls(
      ClientRpcOptions options, RpcFeatures features) {
    ClientAssociation client = new ClientAssociation(options);
    HostAssociation host = new HostAssociation(features, 0x5eed, "1688", DecodeLimits.DEFAULT);

    BindPdu bind = client.bind();
    assertEquals(
        1 + (options.ndr64() ? 1 : 0) + (options.bindTimeFeatureNegotiation() ? 1 : 0),
        bind.contexts().size());
    assertEquals(options.multiplex() ? 0x13 : 0x03, bind.header().flags());
    assertEquals(
        72 + 44 * (bind.contexts().size() - 1),
        PduCodec.encode(bind).length,
        "docs/PROTOCOL.md §3.3 sizes");
    Pdu ack = wire(((HostAssociation.Reply) host.accept(wire(bind))).pdu());
    assertEquals(bind.header().flags(), ack.header().flags(), "bind_ack echoes the bind's flags");
    Optional<BindPdu> alter = client.onBindAck(ack);
    boolean ndr64 = options.ndr64() && features.ndr64();
    assertEquals(ndr64, alter.isPresent(), "alter_context exactly when NDR64 displaced NDR32");
    if (alter.isPresent()) {
      Pdu resp = wire(((HostAssociation.Reply) host.accept(wire(alter.get()))).pdu());
      assertEquals(PduType.ALTER_CONTEXT_RESP, resp.type());
      client.onAlterContextResp(resp, alter.get());
    }
    Map<TransferSyntax, Integer> expected =
        ndr64
            ? Map.of(TransferSyntax.NDR32, 0, TransferSyntax.NDR64, 1)
            : Map.of(TransferSyntax.NDR32, 0);
    assertEquals(expected, client.acceptedContexts());
    assertEquals(host.acceptedContexts().size(), expected.size());
    boolean btfn = options.bindTimeFeatureNegotiation() && features.bindTimeFeatureNegotiation();
    assertEquals(btfn ? Optional.of(3) : Optional.empty(), client.acknowledgedFeatures());

    for (int i = 0; i < 3; i++) {
      byte[] message = new byte[260];
      message[0] = (byte) i;
      RequestPdu request = client.request(message);
      assertEquals(2 + i, request.callId(), "call ids 2, 3, 4");
      HostAssociation.Dispatch d =
          assertInstanceOf(HostAssociation.Dispatch.class, host.accept(wire(request)));
      TransferSyntax syntax = i > 0 && ndr64 ? TransferSyntax.NDR64 : TransferSyntax.NDR32;
      assertEquals(
          syntax,
          d.call().syntax(),
          "call " + i + ": first in NDR32, later in NDR64 when accepted");
      assertArrayEquals(
          message, KmsStubCodec.decodeRequest(d.call().syntax(), d.call().stub(), 4096));
      byte[] answer = new byte[160];
      answer[1] = (byte) i;
      Pdu response =
          wire(host.respond(d.call(), KmsStubCodec.encodeResponse(d.call().syntax(), answer)));
      assertEquals(
          new StubResponse(Optional.of(Bytes.of(answer)), HResult.S_OK),
          client.onResponse(response));
    }
  }

  @Test
  void client_faultAnswer_raisesRpcFault() {
    ClientAssociation client = new ClientAssociation(ClientRpcOptions.WINDOWS);
    HostAssociation host =
        new HostAssociation(new RpcFeatures(false, true), 1, "1688", DecodeLimits.DEFAULT);
    client.onBindAck(((HostAssociation.Reply) host.accept(client.bind())).pdu());
    RequestPdu request = client.request(new byte[260]);
    RpcFaultException e =
        assertThrows(
            RpcFaultException.class,
            () -> client.onResponse(HostAssociation.fault(request.callId(), 0, NcaStatus.UNK_IF)));
    assertEquals(NcaStatus.UNK_IF, e.status());
  }

  @Test
  void client_responseWithOtherCallId_isRejected() {
    ClientAssociation client = new ClientAssociation(ClientRpcOptions.WINDOWS);
    HostAssociation host =
        new HostAssociation(new RpcFeatures(false, true), 1, "1688", DecodeLimits.DEFAULT);
    client.onBindAck(((HostAssociation.Reply) host.accept(client.bind())).pdu());
    RequestPdu request = client.request(new byte[260]);
    HostAssociation.Dispatch d = (HostAssociation.Dispatch) host.accept(request);
    KmsCall other =
        new KmsCall(
            d.call().callId() + 1, d.call().contextId(), d.call().syntax(), 0x10, d.call().stub());
    ResponsePdu wrong =
        host.respond(other, KmsStubCodec.encodeFailure(TransferSyntax.NDR32, HResult.INVALID_DATA));
    assertThrows(
        io.github.kmsj.protocol.KmsProtocolException.class, () -> client.onResponse(wrong));
    assertTrue(request.callId() == 2);
  }
}
