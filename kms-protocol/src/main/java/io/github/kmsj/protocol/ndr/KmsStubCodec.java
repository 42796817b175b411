package io.github.kmsj.protocol.ndr;

import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.LimitExceededException;
import io.github.kmsj.protocol.MalformedPduException;
import io.github.kmsj.protocol.internal.LittleEndian;
import io.github.kmsj.protocol.internal.WireReader;
import io.github.kmsj.protocol.message.HResult;
import java.util.Objects;
import java.util.Optional;

/**
 * NDR32 and NDR64 marshalling of the KMS interface's one operation, RequestActivation (opnum 0):
 * {@code [in] requestSize, [in, size_is] request, [out] responseSize, [out, unique, size_is]
 * response}, returning an HRESULT (docs/PROTOCOL.md §4).
 */
public final class KmsStubCodec {
  /** The referent ID both peers send for the response pointer. */
  static final int REFERENT_ID = 0x00020000;

  private KmsStubCodec() {}

  /**
   * The KMS request carried in a request stub; extra bytes after the array are tolerated.
   *
   * @param maxMessage the largest request accepted, checked before allocating
   * @throws MalformedPduException when the two lengths differ or exceed the stub
   */
  public static byte[] decodeRequest(TransferSyntax syntax, byte[] stub, int maxMessage) {
    Objects.requireNonNull(syntax, "syntax");
    WireReader r = new WireReader(stub, syntax + " request stub");
    long size = Integer.toUnsignedLong(r.u32("requestSize"));
    long maxCount;
    if (syntax == TransferSyntax.NDR32) {
      maxCount = Integer.toUnsignedLong(r.u32("max_count"));
    } else {
      r.align(8, "pad");
      maxCount = r.u64("max_count");
    }
    if (maxCount != size) {
      throw r.error(
          "max_count",
          r.position() - (syntax == TransferSyntax.NDR32 ? 4 : 8),
          "conformance " + Long.toUnsignedString(maxCount) + " differs from requestSize " + size);
    }
    if (size > maxMessage) {
      throw new LimitExceededException("KMS request size", maxMessage, size);
    }
    return r.bytes((int) size, "request");
  }

  /** A request stub for a KMS request message. */
  public static byte[] encodeRequest(TransferSyntax syntax, byte[] message) {
    int n = message.length;
    if (syntax == TransferSyntax.NDR32) {
      byte[] out = new byte[8 + n];
      LittleEndian.putInt(out, 0, n);
      LittleEndian.putInt(out, 4, n);
      System.arraycopy(message, 0, out, 8, n);
      return out;
    }
    byte[] out = new byte[16 + n];
    LittleEndian.putInt(out, 0, n);
    LittleEndian.putLong(out, 8, n);
    System.arraycopy(message, 0, out, 16, n);
    return out;
  }

  /** A successful response stub: size, referent, conformance, the message, padding, HRESULT 0. */
  public static byte[] encodeResponse(TransferSyntax syntax, byte[] message) {
    int m = message.length;
    int pad = (4 - (m & 3)) & 3;
    if (syntax == TransferSyntax.NDR32) {
      byte[] out = new byte[16 + m + pad];
      LittleEndian.putInt(out, 0, m);
      LittleEndian.putInt(out, 4, REFERENT_ID);
      LittleEndian.putInt(out, 8, m);
      System.arraycopy(message, 0, out, 12, m);
      return out;
    }
    byte[] out = new byte[28 + m + pad];
    LittleEndian.putInt(out, 0, m);
    LittleEndian.putLong(out, 8, REFERENT_ID);
    LittleEndian.putLong(out, 16, m);
    System.arraycopy(message, 0, out, 24, m);
    return out;
  }

  /** A failure stub: size 0, a NULL pointer and the HRESULT. */
  public static byte[] encodeFailure(TransferSyntax syntax, HResult hresult) {
    byte[] out = new byte[syntax == TransferSyntax.NDR32 ? 12 : 20];
    LittleEndian.putInt(out, out.length - 4, hresult.value());
    return out;
  }

  /**
   * Decodes a response stub; the HRESULT is read at its aligned position after the padding.
   *
   * @throws MalformedPduException when a length disagrees or a field is missing
   */
  public static StubResponse decodeResponse(TransferSyntax syntax, byte[] stub) {
    WireReader r = new WireReader(stub, syntax + " response stub");
    long size = Integer.toUnsignedLong(r.u32("responseSize"));
    boolean ndr32 = syntax == TransferSyntax.NDR32;
    long referent;
    if (ndr32) {
      referent = Integer.toUnsignedLong(r.u32("referent"));
    } else {
      r.align(8, "pad");
      referent = r.u64("referent");
    }
    if (referent == 0) {
      int hresult = r.u32("return value");
      return new StubResponse(Optional.empty(), HResult.of(hresult));
    }
    long maxCount = ndr32 ? Integer.toUnsignedLong(r.u32("max_count")) : r.u64("max_count");
    if (maxCount != size) {
      throw r.error(
          "max_count",
          r.position() - (ndr32 ? 4 : 8),
          "conformance " + Long.toUnsignedString(maxCount) + " differs from responseSize " + size);
    }
    if (size > r.remaining()) {
      throw r.error("response", "declares " + size + " bytes, " + r.remaining() + " left");
    }
    byte[] message = r.bytes((int) size, "response");
    r.align(4, "pad");
    int hresult = r.u32("return value");
    return new StubResponse(Optional.of(Bytes.of(message)), HResult.of(hresult));
  }
}
