package io.github.kmsj.protocol.rpc;

import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.KmsProtocolException;
import io.github.kmsj.protocol.MalformedPduException;
import io.github.kmsj.protocol.ndr.KmsStubCodec;
import io.github.kmsj.protocol.ndr.StubResponse;
import io.github.kmsj.protocol.ndr.TransferSyntax;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The client side of one RPC association: builds the bind, reads the bind_ack, asks for NDR32 with
 * an alter_context when only NDR64 was accepted, and numbers and checks calls as a Windows client
 * does (first request in NDR32, later ones in NDR64; call IDs from 2) (docs/PROTOCOL.md §3.6, §10).
 *
 * <p>Sans-IO and single-threaded.
 */
public final class ClientAssociation {
  /** The fragment size both peers offer. */
  public static final int MAX_FRAG = 5840;

  private final ClientRpcOptions options;
  private final Map<TransferSyntax, Integer> accepted = new EnumMap<>(TransferSyntax.class);
  private int nextCallId = 2;
  private int calls;
  private int pendingCallId = -1;
  private int pendingContextId;
  private TransferSyntax pendingSyntax;
  private int acknowledgedFeatures = -1;

  /** An association offering what {@code options} says. */
  public ClientAssociation(ClientRpcOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * The bind PDU: context 0 NDR32, then NDR64 and BTFN as configured, all for the KMS interface.
   */
  public BindPdu bind() {
    List<PresentationContext> offered = new ArrayList<>(3);
    offered.add(PresentationContext.of(0, SyntaxId.KMS_INTERFACE, syntax(TransferSyntax.NDR32)));
    if (options.ndr64()) {
      offered.add(
          PresentationContext.of(
              offered.size(), SyntaxId.KMS_INTERFACE, syntax(TransferSyntax.NDR64)));
    }
    if (options.bindTimeFeatureNegotiation()) {
      offered.add(
          PresentationContext.of(
              offered.size(), SyntaxId.KMS_INTERFACE, SyntaxId.bindTimeFeatures(0x03)));
    }
    int flags = PfcFlags.FIRST_LAST | (options.multiplex() ? PfcFlags.CONC_MPX : 0);
    return new BindPdu(
        PduType.BIND, PduHeader.of(flags, nextCallId), MAX_FRAG, MAX_FRAG, 0, offered);
  }

  private static SyntaxId syntax(TransferSyntax s) {
    return new SyntaxId(s.uuid(), s.version());
  }

  /**
   * Reads the bind_ack and returns the alter_context to send next, if one is needed (NDR32 was
   * rejected because NDR64 was accepted).
   *
   * @throws KmsProtocolException when the host accepted no KMS context or sent another PDU type
   */
  public Optional<BindPdu> onBindAck(Pdu pdu) {
    BindAckPdu ack = expectBindAck(pdu, PduType.BIND_ACK);
    BindPdu offered = bind();
    record(offered, ack);
    if (accepted.isEmpty()) {
      throw new KmsProtocolException(
          "the host accepted no KMS presentation context: " + ack.results());
    }
    if (!accepted.containsKey(TransferSyntax.NDR32)) {
      PresentationContext ndr32 =
          PresentationContext.of(0, SyntaxId.KMS_INTERFACE, syntax(TransferSyntax.NDR32));
      return Optional.of(
          new BindPdu(
              PduType.ALTER_CONTEXT, offered.header(), MAX_FRAG, MAX_FRAG, 0, List.of(ndr32)));
    }
    return Optional.empty();
  }

  /** Reads the alter_context_resp. */
  public void onAlterContextResp(Pdu pdu, BindPdu alterContext) {
    record(alterContext, expectBindAck(pdu, PduType.ALTER_CONTEXT_RESP));
  }

  private BindAckPdu expectBindAck(Pdu pdu, PduType type) {
    if (pdu instanceof BindAckPdu ack && ack.type().equals(type) && ack.callId() == nextCallId) {
      if (ack.results().size() != (PduType.BIND_ACK.equals(type) ? bind().contexts().size() : 1)) {
        throw new KmsProtocolException(
            "the host answered " + ack.results().size() + " results for the offered contexts");
      }
      return ack;
    }
    throw new KmsProtocolException(
        "expected "
            + type
            + " with call_id "
            + nextCallId
            + ", got "
            + pdu.type()
            + " with call_id "
            + pdu.callId());
  }

  private void record(BindPdu offered, BindAckPdu ack) {
    for (int i = 0; i < ack.results().size(); i++) {
      ContextResult result = ack.results().get(i);
      if (result.result() == ContextResult.NEGOTIATE_ACK) {
        acknowledgedFeatures = result.reason();
      }
      if (result.isAccepted()) {
        TransferSyntax s = TransferSyntax.ofUuid(result.transferSyntax().uuid());
        PresentationContext c = offered.contexts().get(i);
        if (s != null && c.transferSyntaxes().get(0).uuid().equals(s.uuid())) {
          accepted.put(s, c.contextId());
        }
      }
    }
  }

  /** The BTFN bitmask the host acknowledged, or empty when it did not. */
  public Optional<Integer> acknowledgedFeatures() {
    return acknowledgedFeatures < 0 ? Optional.empty() : Optional.of(acknowledgedFeatures);
  }

  /** The transfer syntaxes accepted so far and their context IDs. */
  public Map<TransferSyntax, Integer> acceptedContexts() {
    return Map.copyOf(accepted);
  }

  /**
   * The request PDU carrying a KMS message: the first call in NDR32, later calls in NDR64 when
   * accepted.
   */
  public RequestPdu request(byte[] kmsMessage) {
    if (accepted.isEmpty()) {
      throw new IllegalStateException("no presentation context accepted yet: send bind() first");
    }
    TransferSyntax syntax =
        (calls == 0 && accepted.containsKey(TransferSyntax.NDR32))
                || !accepted.containsKey(TransferSyntax.NDR64)
            ? TransferSyntax.NDR32
            : TransferSyntax.NDR64;
    int callId = nextCallId + (calls == 0 ? 0 : 1);
    nextCallId = callId;
    calls++;
    pendingCallId = callId;
    pendingContextId = accepted.get(syntax);
    pendingSyntax = syntax;
    byte[] stub = KmsStubCodec.encodeRequest(syntax, kmsMessage);
    return new RequestPdu(
        PduHeader.of(PfcFlags.FIRST_LAST, callId),
        stub.length,
        pendingContextId,
        0,
        Optional.empty(),
        Bytes.of(stub));
  }

  /**
   * Reads the answer to the pending request.
   *
   * @throws RpcFaultException when the host sent a fault
   * @throws KmsProtocolException when the call ID, context or PDU type is wrong
   * @throws MalformedPduException when the stub does not decode
   */
  public StubResponse onResponse(Pdu pdu) {
    if (pendingCallId < 0) {
      throw new IllegalStateException("no request is pending");
    }
    int expected = pendingCallId;
    pendingCallId = -1;
    if (pdu instanceof FaultPdu fault) {
      throw new RpcFaultException(fault.status());
    }
    if (!(pdu instanceof ResponsePdu response)) {
      throw new KmsProtocolException("expected a response, got " + pdu.type());
    }
    if (response.callId() != expected) {
      throw new KmsProtocolException(
          "response call_id " + response.callId() + " does not match the request's " + expected);
    }
    if (response.contextId() != pendingContextId) {
      throw new KmsProtocolException(
          "response p_cont_id " + response.contextId() + " does not match " + pendingContextId);
    }
    if (response.cancelCount() != 0) {
      throw new KmsProtocolException("response cancel_count is " + response.cancelCount());
    }
    return KmsStubCodec.decodeResponse(pendingSyntax, response.stub().toArray());
  }
}
