package io.github.kmsj.protocol.rpc;

import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.DecodeLimits;
import io.github.kmsj.protocol.LimitExceededException;
import io.github.kmsj.protocol.ndr.TransferSyntax;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The host side of one RPC association (one TCP connection): answers binds and alter_contexts,
 * keeps the table of accepted presentation contexts, reassembles request fragments and turns each
 * whole request into a {@link KmsCall} (docs/PROTOCOL.md §3).
 *
 * <p>Sans-IO and single-threaded: the transport feeds decoded PDUs and writes what comes back.
 */
public final class HostAssociation {
  private final RpcFeatures features;
  private final int assocGroupId;
  private final String secondaryAddress;
  private final DecodeLimits limits;
  private final Map<Integer, TransferSyntax> contexts = new HashMap<>(4);
  private boolean bound;
  private ByteArrayOutputStream fragments;
  private int fragmentCount;
  private int fragmentCallId;

  /**
   * An association answering with the given features.
   *
   * @param assocGroupId the non-zero association group ID to announce (the caller picks it, for
   *     example at random)
   * @param secondaryAddress the port string sent in bind_ack, for example "1688"
   */
  public HostAssociation(
      RpcFeatures features, int assocGroupId, String secondaryAddress, DecodeLimits limits) {
    this.features = Objects.requireNonNull(features, "features");
    this.assocGroupId = assocGroupId;
    this.secondaryAddress = Objects.requireNonNull(secondaryAddress, "secondaryAddress");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** What the association makes of one incoming PDU. */
  public sealed interface Outcome permits Reply, Dispatch, Ignore, Close {}

  /** Send this PDU back; the association stays open. */
  public record Reply(Pdu pdu) implements Outcome {}

  /** A whole KMS call to hand to the host; answer it with {@link #respond}. */
  public record Dispatch(KmsCall call) implements Outcome {}

  /** Nothing to send (a fragment was buffered or a PDU was ignored). */
  public record Ignore(String reason) implements Outcome {}

  /** Close the connection; the reason is for logs. */
  public record Close(String reason) implements Outcome {}

  private static final Ignore FRAGMENT_BUFFERED = new Ignore("request fragment buffered");

  /**
   * Handles one decoded PDU.
   *
   * @throws LimitExceededException when fragments exceed the fragment count or stub size limit
   */
  public Outcome accept(Pdu pdu) {
    if (pdu instanceof RequestPdu request) {
      return request(request);
    }
    if (pdu instanceof BindPdu bind) {
      return new Reply(bind(bind));
    }
    PduType type = pdu.type();
    if (PduType.ORPHANED.equals(type) || PduType.CO_CANCEL.equals(type)) {
      return new Ignore("ignored " + type.displayName());
    }
    return new Close("unexpected " + type + " from a client");
  }

  /** Whether a bind has been answered. */
  public boolean isBound() {
    return bound;
  }

  /** The accepted contexts and their transfer syntaxes (a copy). */
  public Map<Integer, TransferSyntax> acceptedContexts() {
    return Map.copyOf(contexts);
  }

  private BindAckPdu bind(BindPdu bind) {
    List<ContextResult> results = BindNegotiation.negotiate(bind.contexts(), features);
    for (int i = 0; i < results.size(); i++) {
      ContextResult result = results.get(i);
      if (result.isAccepted()) {
        contexts.put(
            bind.contexts().get(i).contextId(),
            TransferSyntax.ofUuid(result.transferSyntax().uuid()));
      }
    }
    bound = true;
    boolean alter = bind.isAlterContext();
    PduHeader header =
        new PduHeader(
            alter ? PfcFlags.FIRST_LAST : bind.header().flags(),
            PduHeader.DREP_LITTLE_ENDIAN,
            bind.callId());
    return new BindAckPdu(
        alter ? PduType.ALTER_CONTEXT_RESP : PduType.BIND_ACK,
        header,
        bind.maxXmitFrag(),
        bind.maxRecvFrag(),
        assocGroupId,
        alter ? "" : secondaryAddress,
        results);
  }

  private Outcome request(RequestPdu request) {
    byte[] stub;
    boolean first = request.header().has(PfcFlags.FIRST_FRAG);
    boolean last = request.header().has(PfcFlags.LAST_FRAG);
    if (first && last && fragments == null) {
      stub = request.stub().toArray();
    } else {
      if (!first && (fragments == null || request.callId() != fragmentCallId)) {
        // A continuation of a call whose FIRST fragment never came: not a whole call ([C706]).
        fragments = null;
        return new Reply(fault(request.callId(), request.contextId(), NcaStatus.PROTO_ERROR));
      }
      if (first) {
        fragments = new ByteArrayOutputStream();
        fragmentCount = 0;
        fragmentCallId = request.callId();
      }
      fragmentCount++;
      if (fragmentCount > limits.maxFragments()) {
        throw new LimitExceededException(
            "fragments per request", limits.maxFragments(), fragmentCount);
      }
      long total = (long) fragments.size() + request.stub().length();
      if (total > limits.maxStubSize()) {
        throw new LimitExceededException("stub size", limits.maxStubSize(), total);
      }
      fragments.writeBytes(request.stub().toArray());
      if (!last) {
        return FRAGMENT_BUFFERED;
      }
      stub = fragments.toByteArray();
      fragments = null;
    }
    if (stub.length > limits.maxStubSize()) {
      throw new LimitExceededException("stub size", limits.maxStubSize(), stub.length);
    }
    TransferSyntax syntax = contexts.get(request.contextId());
    if (syntax == null) {
      return new Reply(fault(request.callId(), request.contextId(), NcaStatus.UNK_IF));
    }
    if (request.opnum() != 0) {
      return new Reply(fault(request.callId(), request.contextId(), NcaStatus.OP_RNG_ERROR));
    }
    return new Dispatch(
        new KmsCall(
            request.callId(),
            request.contextId(),
            syntax,
            request.header().dataRepresentation(),
            stub));
  }

  /** The response PDU carrying {@code responseStub} for {@code call}. */
  public ResponsePdu respond(KmsCall call, byte[] responseStub) {
    return new ResponsePdu(
        new PduHeader(PfcFlags.FIRST_LAST, call.dataRepresentation(), call.callId()),
        responseStub.length,
        call.contextId(),
        0,
        Bytes.of(responseStub));
  }

  /** A fault PDU for a call, flags FIRST|LAST|DID_NOT_EXECUTE, as a genuine host sends it. */
  public static FaultPdu fault(int callId, int contextId, NcaStatus status) {
    return new FaultPdu(
        PduHeader.of(PfcFlags.FIRST_LAST | PfcFlags.DID_NOT_EXECUTE, callId),
        0,
        contextId,
        0,
        status);
  }

  /**
   * The answer, if the protocol has one, to a PDU that was refused before it could be handled: a
   * bind_nak for a bind or alter_context (reason local_limit_exceeded for a limit, protocol error
   * otherwise), a fault nca_s_proto_error for a request. The connection closes after it.
   */
  public static Optional<Pdu> rejection(PduDecoder.Rejected rejected) {
    int callId = rejected.callId() < 0 ? 0 : (int) rejected.callId();
    PduType type = rejected.type();
    if (PduType.BIND.equals(type) || PduType.ALTER_CONTEXT.equals(type)) {
      int reason =
          rejected.cause() instanceof io.github.kmsj.protocol.LimitExceededException
              ? BindNakPdu.LOCAL_LIMIT_EXCEEDED
              : BindNakPdu.PROTOCOL_VERSION_NOT_SUPPORTED;
      return Optional.of(
          new BindNakPdu(
              PduHeader.of(PfcFlags.FIRST_LAST, callId), reason, java.util.List.of(5 << 8)));
    }
    if (PduType.REQUEST.equals(type)) {
      return Optional.of(fault(callId, 0, NcaStatus.PROTO_ERROR));
    }
    return Optional.empty();
  }
}
