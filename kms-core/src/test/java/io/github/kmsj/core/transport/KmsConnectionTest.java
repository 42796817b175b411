package io.github.kmsj.core.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.protocol.DecodeLimits;
import io.github.kmsj.protocol.message.HResult;
import io.github.kmsj.protocol.ndr.KmsStubCodec;
import io.github.kmsj.protocol.ndr.TransferSyntax;
import io.github.kmsj.protocol.rpc.BindAckPdu;
import io.github.kmsj.protocol.rpc.ClientAssociation;
import io.github.kmsj.protocol.rpc.ClientRpcOptions;
import io.github.kmsj.protocol.rpc.FaultPdu;
import io.github.kmsj.protocol.rpc.NcaStatus;
import io.github.kmsj.protocol.rpc.Pdu;
import io.github.kmsj.protocol.rpc.PduCodec;
import io.github.kmsj.protocol.rpc.PduDecoder;
import io.github.kmsj.protocol.rpc.RequestPdu;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The sans-IO connection, driven without sockets. */
final class KmsConnectionTest {
  private static final PeerInfo PEER =
      new PeerInfo(
          new InetSocketAddress("192.168.0.10", 50000), new InetSocketAddress("192.168.0.1", 1688));
  private final List<PeerInfo> seen = new ArrayList<>();
  private final CallHandler handler =
      (call, peer) -> {
        seen.add(peer);
        return CompletableFuture.completedFuture(
            KmsStubCodec.encodeFailure(call.syntax(), HResult.KMS_ID_MISMATCH));
      };
  private final KmsConnection connection =
      new KmsConnection(ConnectionOptions.DEFAULT, handler, PEER, 0x1234);

  @Test
  void receive_bindAndRequestInOneChunk_answersBoth() {
    ClientAssociation client = new ClientAssociation(new ClientRpcOptions(false, true, true));
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    in.writeBytes(PduCodec.encode(client.bind()));
    List<Pdu> out = decodeAll(connection.receive(in.toByteArray(), 0, in.size()));
    BindAckPdu ack = assertInstanceOf(BindAckPdu.class, out.get(0));
    assertEquals("1688", ack.secondaryAddress());
    assertEquals(0x1234, ack.assocGroupId());
    client.onBindAck(ack);
    byte[] request = PduCodec.encode(client.request(new byte[260]));
    List<Pdu> answer = decodeAll(connection.receive(request, 0, request.length));
    assertEquals(HResult.KMS_ID_MISMATCH, client.onResponse(answer.get(0)).hresult());
    assertEquals(List.of(PEER), seen);
    assertEquals(1, connection.requestCount());
    assertFalse(connection.isClosing());
  }

  /**
   * Regression: an answer that completed on another thread between the connection's two looks at it
   * ("not done", then "done") was taken for a failed answer and the connection closed without
   * answering (seen by LoadTool about once per million requests as "connection closed by the
   * host"). This future completes itself right after its first isDone() says no.
   */
  @Test
  void receive_answerCompletingBetweenTwoLooks_isAwaitedAndAnswered() {
    byte[] stub = KmsStubCodec.encodeFailure(TransferSyntax.NDR32, HResult.KMS_ID_MISMATCH);
    CallHandler racing =
        (call, peer) ->
            new CompletableFuture<byte[]>() {
              private boolean looked;

              @Override
              public boolean isDone() {
                if (!looked) {
                  looked = true;
                  complete(stub); // completes "on another thread" right after this look
                  return false;
                }
                return super.isDone();
              }
            };
    KmsConnection c = new KmsConnection(ConnectionOptions.DEFAULT, racing, PEER, 0x1234);
    ClientAssociation client = new ClientAssociation(new ClientRpcOptions(false, false, false));
    byte[] bind = PduCodec.encode(client.bind());
    client.onBindAck(decodeAll(c.receive(bind, 0, bind.length)).get(0));
    byte[] request = PduCodec.encode(client.request(new byte[260]));

    byte[] now = c.receive(request, 0, request.length);

    assertEquals(0, now.length);
    assertTrue(c.isAwaiting(), "seen not done: awaited");
    assertFalse(c.isClosing());
    List<Pdu> answer = decodeAll(c.resume());
    assertEquals(HResult.KMS_ID_MISMATCH, client.onResponse(answer.get(0)).hresult());
    assertFalse(c.isClosing(), "answered, not closed as failed");
  }

  @Test
  void receive_requestOnUnknownContext_faultsAndStaysOpen() {
    RequestPdu request =
        (RequestPdu)
            PduCodec.decode(
                PduCodec.encode(new ClientAssociationFixture().requestWithoutBind()),
                DecodeLimits.DEFAULT);
    byte[] bytes = PduCodec.encode(request);
    FaultPdu fault =
        assertInstanceOf(
            FaultPdu.class, decodeAll(connection.receive(bytes, 0, bytes.length)).get(0));
    assertEquals(NcaStatus.UNK_IF, fault.status());
    assertEquals(request.callId(), fault.callId());
    assertFalse(connection.isClosing());
  }

  @Test
  void receive_undecodableBytes_closesWithReason() {
    byte[] garbage = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    assertEquals(0, connection.receive(garbage, 0, garbage.length).length);
    assertTrue(connection.isClosing());
    assertTrue(connection.closeReason().orElseThrow().startsWith("undecodable"));
  }

  @Test
  void receive_overLimitRequest_faultsProtoErrorWithItsCallIdThenCloses() {
    byte[] request =
        PduCodec.encode(new ClientAssociationFixture().requestWithoutBind()); // call_id 2
    request[8] = (byte) 0x00;
    request[9] = (byte) 0x20; // frag_length 8192 > the 4096 default
    FaultPdu fault =
        assertInstanceOf(FaultPdu.class, decodeAll(connection.receive(request, 0, 16)).get(0));
    assertEquals(NcaStatus.PROTO_ERROR, fault.status());
    assertEquals(2, fault.callId());
    assertTrue(connection.isClosing());
  }

  @Test
  void receive_bindWithTooManyContexts_bindNakLocalLimitThenCloses() {
    ClientAssociation client = new ClientAssociation(ClientRpcOptions.WINDOWS);
    io.github.kmsj.protocol.rpc.BindPdu bind = client.bind();
    java.util.List<io.github.kmsj.protocol.rpc.PresentationContext> many =
        new java.util.ArrayList<>();
    for (int i = 0; i < 9; i++) {
      many.add(bind.contexts().get(0));
    }
    io.github.kmsj.protocol.rpc.BindPdu big =
        new io.github.kmsj.protocol.rpc.BindPdu(
            bind.type(), bind.header(), bind.maxXmitFrag(), bind.maxRecvFrag(), 0, many);
    byte[] bytes = PduCodec.encode(big);
    io.github.kmsj.protocol.rpc.BindNakPdu nak =
        assertInstanceOf(
            io.github.kmsj.protocol.rpc.BindNakPdu.class,
            decodeAll(connection.receive(bytes, 0, bytes.length)).get(0));
    assertEquals(io.github.kmsj.protocol.rpc.BindNakPdu.LOCAL_LIMIT_EXCEEDED, nak.rejectReason());
    assertTrue(connection.isClosing());
  }

  private static List<Pdu> decodeAll(byte[] bytes) {
    PduDecoder decoder = new PduDecoder(DecodeLimits.DEFAULT);
    decoder.feed(bytes);
    List<Pdu> pdus = new ArrayList<>();
    decoder.next().ifPresent(pdus::add);
    decoder.next().ifPresent(pdus::add);
    return pdus;
  }

  /** A request PDU built as a client would after a bind, sent to a connection that saw none. */
  private static final class ClientAssociationFixture {
    Pdu requestWithoutBind() {
      ClientAssociation c = new ClientAssociation(new ClientRpcOptions(false, false, false));
      Pdu bind = c.bind();
      KmsConnection other =
          new KmsConnection(
              ConnectionOptions.DEFAULT,
              (call, p) -> CompletableFuture.completedFuture(new byte[12]),
              PEER,
              1);
      byte[] b = PduCodec.encode(bind);
      c.onBindAck(decodeAll(other.receive(b, 0, b.length)).get(0));
      return c.request(new byte[8]);
    }
  }
}
