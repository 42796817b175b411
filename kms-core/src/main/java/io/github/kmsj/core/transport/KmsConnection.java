package io.github.kmsj.core.transport;

import io.github.kmsj.protocol.KmsProtocolException;
import io.github.kmsj.protocol.rpc.HostAssociation;
import io.github.kmsj.protocol.rpc.NcaStatus;
import io.github.kmsj.protocol.rpc.Pdu;
import io.github.kmsj.protocol.rpc.PduCodec;
import io.github.kmsj.protocol.rpc.PduDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;

/**
 * One client connection of a KMS host without any I/O: feed it the bytes that arrived, write out
 * the bytes it returns, and close the connection when it says so. Any server (Netty, Undertow, a
 * test) can drive it.
 *
 * <p>Used by one thread at a time. Bad input ends only this connection: where the protocol has a
 * fault for it the fault is returned first (PROTOCOL.md §3.8).
 */
public final class KmsConnection {
  private final PduDecoder decoder;
  private final HostAssociation association;
  private final CallHandler handler;
  private final PeerInfo peer;
  private final ByteArrayOutputStream output = new ByteArrayOutputStream(512);

  /** The one PDU produced so far by this receive, returned as is (the usual case: no copy). */
  private byte[] single;

  private String closeReason;
  private long requests;

  /**
   * A connection answering calls with {@code handler}.
   *
   * @param assocGroupId the association group ID announced in bind_ack (non-zero)
   */
  public KmsConnection(
      ConnectionOptions options, CallHandler handler, PeerInfo peer, int assocGroupId) {
    Objects.requireNonNull(options, "options");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.peer = Objects.requireNonNull(peer, "peer");
    this.decoder = new PduDecoder(options.limits());
    this.association =
        new HostAssociation(
            options.features(), assocGroupId, options.secondaryAddress(), options.limits());
  }

  /** Feeds received bytes; returns what to send back (possibly nothing). */
  public byte[] receive(byte[] bytes, int off, int len) {
    if (closeReason != null) {
      return new byte[0];
    }
    decoder.feed(bytes, off, len);
    return process();
  }

  /** Feeds the remaining bytes of {@code in}, consuming them; returns what to send back. */
  public byte[] receive(ByteBuffer in) {
    if (closeReason != null) {
      in.position(in.limit());
      return new byte[0];
    }
    decoder.feed(in);
    return process();
  }

  private byte[] process() {
    output.reset();
    single = null;
    while (closeReason == null) {
      Optional<Pdu> next;
      try {
        next = decoder.next();
      } catch (KmsProtocolException e) {
        closeReason = "undecodable input: " + e.getMessage();
        decoder.rejected().flatMap(HostAssociation::rejection).ifPresent(this::write);
        break;
      }
      if (next.isEmpty()) {
        break;
      }
      handle(next.get());
    }
    if (single != null) {
      byte[] out = single;
      single = null;
      return out;
    }
    return output.toByteArray();
  }

  private void handle(Pdu pdu) {
    HostAssociation.Outcome outcome;
    try {
      outcome = association.accept(pdu);
    } catch (KmsProtocolException e) {
      write(HostAssociation.fault(pdu.callId(), 0, NcaStatus.PROTO_ERROR));
      closeReason = "protocol error: " + e.getMessage();
      return;
    }
    if (outcome instanceof HostAssociation.Reply reply) {
      write(reply.pdu());
    } else if (outcome instanceof HostAssociation.Dispatch dispatch) {
      requests++;
      byte[] stub = handler.answer(dispatch.call(), peer);
      write(association.respond(dispatch.call(), stub));
    } else if (outcome instanceof HostAssociation.Close close) {
      closeReason = close.reason();
    }
  }

  private void write(Pdu pdu) {
    byte[] bytes = PduCodec.encode(pdu);
    if (single == null && output.size() == 0) {
      single = bytes; // a fresh array from the codec: handing it out shares nothing
      return;
    }
    if (single != null) {
      output.writeBytes(single);
      single = null;
    }
    output.writeBytes(bytes);
  }

  /** Whether the connection must be closed once the returned bytes are written. */
  public boolean isClosing() {
    return closeReason != null;
  }

  /** Why the connection is closing, if it is. */
  public Optional<String> closeReason() {
    return Optional.ofNullable(closeReason);
  }

  /** Whether bytes of an incomplete PDU are waiting for the rest (a request in flight). */
  public boolean hasPartialInput() {
    return decoder.buffered() > 0;
  }

  /** How many KMS calls this connection has answered. */
  public long requestCount() {
    return requests;
  }

  /** The peer. */
  public PeerInfo peer() {
    return peer;
  }
}
