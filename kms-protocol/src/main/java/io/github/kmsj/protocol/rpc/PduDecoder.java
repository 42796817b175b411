package io.github.kmsj.protocol.rpc;

import io.github.kmsj.protocol.DecodeLimits;
import io.github.kmsj.protocol.KmsProtocolException;
import io.github.kmsj.protocol.LimitExceededException;
import io.github.kmsj.protocol.MalformedPduException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Cuts a connection's byte stream into PDUs by {@code frag_length}; the caller feeds whatever bytes
 * arrived, one at a time if need be, and polls for whole PDUs.
 *
 * <p>One instance per connection, used by one thread. A declared {@code frag_length} above the
 * limit is rejected as soon as its header bytes arrive, before the body is awaited. After a {@link
 * KmsProtocolException} the stream has lost its framing: the connection must be closed.
 *
 * <p>The buffer exists only while bytes wait: it is allocated on the first feed, sized to what
 * arrived (a whole PDU in the usual case), and released once every fed byte was returned, so a
 * server holding thousands of quiet connections holds no buffers for them.
 */
public final class PduDecoder {
  private static final byte[] EMPTY = new byte[0];

  /** The first allocation when bytes arrive on an empty decoder: a bind fits, a request grows. */
  private static final int MIN_BUFFER = 128;

  /**
   * The largest buffer kept once every fed byte was returned: enough for the requests of a
   * persistent connection, which then reuses one array instead of allocating (and storing into this
   * long-lived decoder) a fresh one per PDU. A larger one, grown for a rare big PDU, is dropped.
   */
  static final int RETAINED_BUFFER = 1024;

  private final DecodeLimits limits;
  private byte[] buf = EMPTY;
  private int start;
  private int end;
  private boolean failed;
  private Rejected rejected;

  /**
   * What is known of a PDU this decoder refused: its type and, when its 16-byte header had arrived,
   * its call ID, so that the connection can answer with a fault or bind_nak before it closes.
   *
   * @param type the PTYPE
   * @param callId the call ID, or -1 when the header had not arrived whole
   * @param cause why it was refused
   */
  public record Rejected(PduType type, long callId, KmsProtocolException cause) {}

  /** A decoder that enforces {@code limits}. */
  public PduDecoder(DecodeLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** Appends {@code len} bytes of {@code bytes} from {@code off}. */
  public void feed(byte[] bytes, int off, int len) {
    Objects.checkFromIndexSize(off, len, bytes.length);
    ensureRoom(len);
    System.arraycopy(bytes, off, buf, end, len);
    end += len;
  }

  /** Appends all bytes of {@code bytes}. */
  public void feed(byte[] bytes) {
    feed(bytes, 0, bytes.length);
  }

  /** Appends the remaining bytes of {@code src}, consuming them. */
  public void feed(ByteBuffer src) {
    int len = src.remaining();
    ensureRoom(len);
    src.get(buf, end, len);
    end += len;
  }

  private void ensureRoom(int len) {
    if (end + len <= buf.length) {
      return;
    }
    int pending = end - start;
    if (start > 0) {
      System.arraycopy(buf, start, buf, 0, pending);
      start = 0;
      end = pending;
    }
    if (end + len > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(Math.max(buf.length * 2, MIN_BUFFER), end + len));
    }
  }

  /** The size of the buffer held now (0 when none). */
  int capacity() {
    return buf.length;
  }

  /** The number of bytes fed but not yet returned as PDUs. */
  public int buffered() {
    return end - start;
  }

  /**
   * The next whole PDU, or empty when more bytes are needed (nothing is consumed then).
   *
   * @throws MalformedPduException when the header is invalid
   * @throws LimitExceededException when {@code frag_length} exceeds the PDU limit
   */
  public Optional<Pdu> next() {
    byte[] pdu = nextBytes();
    if (pdu == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(PduCodec.decode(pdu, limits));
    } catch (KmsProtocolException e) {
      rejected = rejection(pdu, 0, pdu.length, e);
      throw e;
    }
  }

  /** The PDU the last failure refused, when its type was readable. */
  public Optional<Rejected> rejected() {
    return Optional.ofNullable(rejected);
  }

  private static Rejected rejection(byte[] b, int off, int available, KmsProtocolException e) {
    if (available < 3) {
      return null;
    }
    long callId =
        available >= PduCodec.HEADER_SIZE
            ? Integer.toUnsignedLong(
                io.github.kmsj.protocol.internal.LittleEndian.getInt(b, off + 12))
            : -1;
    return new Rejected(PduType.of(b[off + 2] & 0xff), callId, e);
  }

  /** The next whole PDU's bytes without decoding them, or null when more bytes are needed. */
  byte[] nextBytes() {
    if (failed) {
      throw new KmsProtocolException("the stream failed to decode earlier; close the connection");
    }
    int available = end - start;
    if (available >= 1 && (buf[start] & 0xff) != 5) {
      failed = true;
      throw new MalformedPduException(
          "PDU", "rpc_vers", 0, "not RPC version 5: " + (buf[start] & 0xff));
    }
    if (available < 10) {
      return null;
    }
    int fragLength = PduCodec.fragLength(buf, start);
    if (fragLength > limits.maxPduSize()) {
      failed = true;
      LimitExceededException e =
          new LimitExceededException("PDU size", limits.maxPduSize(), fragLength);
      rejected = rejection(buf, start, available, e);
      throw e;
    }
    if (fragLength < PduCodec.HEADER_SIZE) {
      failed = true;
      throw new MalformedPduException(
          "PDU", "frag_length", 8, "shorter than the 16-byte header: " + fragLength);
    }
    if (available < fragLength) {
      return null;
    }
    byte[] pdu = Arrays.copyOfRange(buf, start, start + fragLength);
    start += fragLength;
    if (start == end) {
      start = 0;
      end = 0;
      if (buf.length > RETAINED_BUFFER) {
        buf = EMPTY;
      }
    }
    return pdu;
  }
}
