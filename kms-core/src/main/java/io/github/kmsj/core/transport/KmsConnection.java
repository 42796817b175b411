package io.github.kmsj.core.transport;

import io.github.kmsj.protocol.KmsProtocolException;
import io.github.kmsj.protocol.rpc.HostAssociation;
import io.github.kmsj.protocol.rpc.KmsCall;
import io.github.kmsj.protocol.rpc.NcaStatus;
import io.github.kmsj.protocol.rpc.Pdu;
import io.github.kmsj.protocol.rpc.PduCodec;
import io.github.kmsj.protocol.rpc.PduDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One client connection of a KMS host without any I/O: feed it the bytes that arrived, write out
 * the bytes it returns, and close the connection when it says so. Any server (Netty, Undertow, a
 * test) can drive it.
 *
 * <p>A call whose answer is not ready yet (the host's store has not made its change durable) makes
 * the connection {@linkplain #isAwaiting() await}: stop reading from the socket (Netty: {@code
 * autoRead} off), and when {@link #awaited()} completes, call {@link #resume()} on the connection's
 * thread and write what it returns, the held answer first. Calls on one association are therefore
 * answered in order, and no thread ever waits for storage. Bytes received while awaiting are kept
 * and processed by {@code resume}.
 *
 * <p>Used by one thread at a time. Bad input ends only this connection: where the protocol has a
 * fault for it the fault is returned first (docs/PROTOCOL.md §3.8).
 */
public final class KmsConnection {
  private final PduDecoder decoder;
  private final HostAssociation association;
  private final CallHandler handler;
  private final PeerInfo peer;

  /**
   * Where a receive that produces several PDUs gathers them; created on the first such receive, so
   * a quiet connection holds no output buffer. The usual receive produces one PDU, which is
   * returned as the codec encoded it: no copy, and no reference stored into this long-lived object
   * (with G1 each such store dirties a card that a concurrent refinement thread scans).
   */
  private ByteArrayOutputStream output;

  private String closeReason;
  private long requests;
  private long pdus;

  /** The call whose answer is awaited, and that answer; both null when nothing is awaited. */
  private KmsCall awaitedCall;

  private CompletableFuture<byte[]> awaitedAnswer;

  private static final byte[] NOTHING = new byte[0];

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
      return NOTHING;
    }
    decoder.feed(bytes, off, len);
    return awaitedAnswer != null ? NOTHING : process(null);
  }

  /** Feeds the remaining bytes of {@code in}, consuming them; returns what to send back. */
  public byte[] receive(ByteBuffer in) {
    if (closeReason != null) {
      in.position(in.limit());
      return NOTHING;
    }
    decoder.feed(in);
    return awaitedAnswer != null ? NOTHING : process(null);
  }

  /**
   * Continues after {@link #awaited()} completed: returns the held answer and whatever the calls
   * received meanwhile produce (possibly awaiting again). A call whose answer failed (its change
   * could not be made durable) is never answered: the connection closes instead.
   *
   * @throws IllegalStateException if nothing is awaited or the answer is not complete yet
   */
  public byte[] resume() {
    if (awaitedAnswer == null || !awaitedAnswer.isDone()) {
      throw new IllegalStateException(
          awaitedAnswer == null ? "no call is awaited" : "the awaited answer is not complete");
    }
    KmsCall call = awaitedCall;
    CompletableFuture<byte[]> answer = awaitedAnswer;
    awaitedCall = null;
    awaitedAnswer = null;
    if (closeReason != null) {
      return NOTHING;
    }
    if (answer.isCompletedExceptionally()) {
      closeReason = "the answer failed: " + failure(answer);
      return NOTHING;
    }
    return process(PduCodec.encode(association.respond(call, answer.join())));
  }

  private static String failure(CompletableFuture<?> f) {
    try {
      f.join();
      return "unknown";
    } catch (CompletionException | CancellationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
  }

  /** Whether a call's answer is awaited: stop reading, and {@link #resume()} once it completes. */
  public boolean isAwaiting() {
    return awaitedAnswer != null;
  }

  /**
   * The awaited answer; completes (on whatever thread made the change durable) when {@link
   * #resume()} may be called.
   *
   * @throws IllegalStateException if nothing is awaited
   */
  public CompletableFuture<?> awaited() {
    if (awaitedAnswer == null) {
      throw new IllegalStateException("no call is awaited");
    }
    return awaitedAnswer;
  }

  /**
   * Handles the whole PDUs received so far, until one awaits its answer; returns {@code first} (an
   * answer already due, or null) followed by what they produce.
   */
  private byte[] process(byte[] first) {
    if (output != null) {
      output.reset();
    }
    byte[] single = first;
    while (closeReason == null && awaitedAnswer == null) {
      Optional<Pdu> next;
      try {
        next = decoder.next();
      } catch (KmsProtocolException e) {
        closeReason = "undecodable input: " + e.getMessage();
        single =
            add(
                single,
                decoder
                    .rejected()
                    .flatMap(HostAssociation::rejection)
                    .map(PduCodec::encode)
                    .orElse(null));
        break;
      }
      if (next.isEmpty()) {
        break;
      }
      pdus++;
      single = add(single, handle(next.get()));
    }
    if (single != null) {
      return single;
    }
    return output == null || output.size() == 0 ? NOTHING : output.toByteArray();
  }

  /**
   * Adds {@code produced} (ignored when null) to the replies of this receive: returns the one reply
   * so far, or null once {@code output} holds them all.
   */
  private byte[] add(byte[] single, byte[] produced) {
    if (produced == null) {
      return single;
    }
    if (single == null && (output == null || output.size() == 0)) {
      return produced; // the first reply: returned as the codec encoded it
    }
    if (output == null) {
      output = new ByteArrayOutputStream(512);
    }
    if (single != null) {
      output.writeBytes(single);
    }
    output.writeBytes(produced);
    return null;
  }

  /** Answers one PDU; returns the encoded reply, or null when there is none (yet). */
  private byte[] handle(Pdu pdu) {
    HostAssociation.Outcome outcome;
    try {
      outcome = association.accept(pdu);
    } catch (KmsProtocolException e) {
      closeReason = "protocol error: " + e.getMessage();
      return PduCodec.encode(HostAssociation.fault(pdu.callId(), 0, NcaStatus.PROTO_ERROR));
    }
    if (outcome instanceof HostAssociation.Reply reply) {
      return PduCodec.encode(reply.pdu());
    } else if (outcome instanceof HostAssociation.Dispatch dispatch) {
      requests++;
      CompletableFuture<byte[]> answer = handler.answer(dispatch.call(), peer);
      // Done is read once: the answer may complete on another thread at any moment, and a
      // future seen not done and then done must be awaited, not taken for a failure.
      if (!answer.isDone()) {
        awaitedCall = dispatch.call();
        awaitedAnswer = answer;
      } else if (answer.isCompletedExceptionally()) {
        closeReason = "the answer failed: " + failure(answer);
      } else {
        return PduCodec.encode(association.respond(dispatch.call(), answer.join()));
      }
    } else if (outcome instanceof HostAssociation.Close close) {
      closeReason = close.reason();
    }
    return null;
  }

  /** Whether the connection must be closed once the returned bytes are written. */
  public boolean isClosing() {
    return closeReason != null;
  }

  /** Why the connection is closing, if it is. */
  public Optional<String> closeReason() {
    return Optional.ofNullable(closeReason);
  }

  /**
   * Whether a request is in flight: bytes of an incomplete PDU wait for the rest, or an answer is
   * awaited.
   */
  public boolean hasPartialInput() {
    return decoder.buffered() > 0 || awaitedAnswer != null;
  }

  /** Whether a bind has been answered on this connection. */
  public boolean isBound() {
    return association.isBound();
  }

  /**
   * How many whole PDUs this connection has received; a server measures idleness from the last one,
   * not from the last byte.
   */
  public long pduCount() {
    return pdus;
  }

  /** The bytes of an incomplete PDU that wait for the rest (0 between PDUs). */
  public int bufferedBytes() {
    return decoder.buffered();
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
