package io.github.kmsj.protocol.message;

import io.github.kmsj.protocol.internal.LittleEndian;
import io.github.kmsj.protocol.internal.WireReader;
import java.nio.charset.StandardCharsets;

/** Reads and writes the base request and base response layouts (docs/PROTOCOL.md §5.2, §5.3). */
final class BaseCodec {
  private BaseCodec() {}

  static BaseRequest readRequest(WireReader r) {
    r.require(BaseRequest.SIZE, "base request");
    byte[] b = r.array();
    int o = r.arrayOffset();
    int minor = LittleEndian.getShort(b, o);
    int major = LittleEndian.getShort(b, o + 2);
    BaseRequest req =
        new BaseRequest(
            ProtocolVersion.fromWire(major << 16 | minor),
            LittleEndian.getInt(b, o + 4),
            LicenseStatus.of(LittleEndian.getInt(b, o + 8)),
            LittleEndian.getInt(b, o + 12),
            Guid.fromWire(b, o + 16),
            Guid.fromWire(b, o + 32),
            Guid.fromWire(b, o + 48),
            Guid.fromWire(b, o + 64),
            LittleEndian.getInt(b, o + 80),
            new Filetime(LittleEndian.getLong(b, o + 84)),
            Guid.fromWire(b, o + 92),
            workstationName(r, o + 108));
    r.skip(BaseRequest.SIZE, "base request");
    return req;
  }

  private static String workstationName(WireReader r, int from) {
    byte[] b = r.array();
    int len = 0;
    while (len < 128 && (b[from + len] | b[from + len + 1]) != 0) {
      len += 2;
    }
    if (len == 128) {
      throw r.error("workstationName", 108, "not NUL-terminated within 64 code units");
    }
    return decodeUtf16le(b, from, len);
  }

  static void writeRequest(BaseRequest q, byte[] b, int o) {
    LittleEndian.putInt(b, o, q.version().toWire());
    LittleEndian.putInt(b, o + 4, q.isClientVm());
    LittleEndian.putInt(b, o + 8, q.licenseStatus().value());
    LittleEndian.putInt(b, o + 12, q.bindingExpiration());
    q.applicationId().toWire(b, o + 16);
    q.skuId().toWire(b, o + 32);
    q.kmsCountedId().toWire(b, o + 48);
    q.cmid().toWire(b, o + 64);
    LittleEndian.putInt(b, o + 80, q.requiredClientCount());
    LittleEndian.putLong(b, o + 84, q.requestTime().value());
    q.previousCmid().toWire(b, o + 92);
    byte[] name = q.workstationName().getBytes(StandardCharsets.UTF_16LE);
    System.arraycopy(name, 0, b, o + 108, name.length);
    java.util.Arrays.fill(b, o + 108 + name.length, o + BaseRequest.SIZE, (byte) 0);
  }

  /**
   * Reads a base response, checking that the ePID size is even, at most 128, NUL-terminated once.
   */
  static BaseResponse readResponse(WireReader r) {
    int start = r.position();
    int versionWord = r.u32("version");
    int ePidSize = r.u32("ePidSize");
    if (ePidSize < 2 || ePidSize > BaseResponse.MAX_EPID_SIZE || (ePidSize & 1) != 0) {
      throw r.error(
          "ePidSize", start + 4, "must be even and 2-128: " + Integer.toUnsignedString(ePidSize));
    }
    r.require(ePidSize + 36, "base response");
    byte[] b = r.array();
    int o = r.arrayOffset();
    int chars = ePidSize / 2 - 1;
    for (int i = 0; i < chars; i++) {
      if ((b[o + 2 * i] | b[o + 2 * i + 1]) == 0) {
        throw r.error("ePid", start + 8 + 2 * i, "NUL before the end of the ePID");
      }
    }
    if ((b[o + ePidSize - 2] | b[o + ePidSize - 1]) != 0) {
      throw r.error("ePid", start + 6 + ePidSize, "ePID is not NUL-terminated");
    }
    String ePid = decodeUtf16le(b, o, ePidSize - 2);
    r.skip(ePidSize, "ePid");
    Guid cmid = Guid.fromWire(b, r.arrayOffset());
    r.skip(16, "clientMachineId");
    Filetime time = new Filetime(r.u64("requestTime"));
    int count = r.u32("currentClientCount");
    int activation = r.u32("vlActivationInterval");
    int renewal = r.u32("vlRenewalInterval");
    return new BaseResponse(
        ProtocolVersion.fromWire(versionWord), ePid, cmid, time, count, activation, renewal);
  }

  /** Writes the base response at {@code o}; returns the offset after it. */
  static int writeResponse(BaseResponse p, byte[] b, int o) {
    LittleEndian.putInt(b, o, p.version().toWire());
    int n = encodeUtf16le(p.ePid(), b, o + 8);
    int l = n + 2;
    LittleEndian.putInt(b, o + 4, l);
    b[o + 8 + n] = 0;
    b[o + 9 + n] = 0;
    int q = o + 8 + l;
    p.cmid().toWire(b, q);
    LittleEndian.putLong(b, q + 16, p.requestTime().value());
    LittleEndian.putInt(b, q + 24, p.currentClientCount());
    LittleEndian.putInt(b, q + 28, p.vlActivationInterval());
    LittleEndian.putInt(b, q + 32, p.vlRenewalInterval());
    return q + 36;
  }

  /*
   * UTF-16LE without a CharsetEncoder/Decoder: the JDK builds one per String.getBytes / new String for
   * UTF-16, a tenth of a full request. Text without surrogates maps one char to two bytes; anything with a
   * surrogate takes the JDK path, so malformed input is replaced exactly as before.
   */

  /** {@code s.getBytes(UTF_16LE).length}, without encoding when there is no surrogate. */
  static int utf16leLength(String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      if (Character.isSurrogate(s.charAt(i))) {
        return s.getBytes(StandardCharsets.UTF_16LE).length;
      }
    }
    return 2 * n;
  }

  /** Writes {@code s.getBytes(UTF_16LE)} at {@code o}; returns the number of bytes written. */
  static int encodeUtf16le(String s, byte[] b, int o) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      if (Character.isSurrogate(s.charAt(i))) {
        byte[] e = s.getBytes(StandardCharsets.UTF_16LE);
        System.arraycopy(e, 0, b, o, e.length);
        return e.length;
      }
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      b[o + 2 * i] = (byte) c;
      b[o + 2 * i + 1] = (byte) (c >>> 8);
    }
    return 2 * n;
  }

  /** {@code new String(b, off, len, UTF_16LE)}, for an even {@code len}. */
  static String decodeUtf16le(byte[] b, int off, int len) {
    if ((len & 1) != 0) {
      return new String(b, off, len, StandardCharsets.UTF_16LE);
    }
    char[] chars = new char[len / 2];
    for (int i = 0; i < chars.length; i++) {
      char c = (char) ((b[off + 2 * i] & 0xff) | (b[off + 2 * i + 1] & 0xff) << 8);
      if (Character.isSurrogate(c)) {
        return new String(b, off, len, StandardCharsets.UTF_16LE);
      }
      chars[i] = c;
    }
    return new String(chars);
  }
}
