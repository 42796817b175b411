package io.github.kmsj.protocol.message;

import io.github.kmsj.protocol.internal.LittleEndian;
import java.util.UUID;

/**
 * A GUID as Windows sends it: the first three groups little-endian, the last eight bytes in text
 * order (docs/PROTOCOL.md §1).
 *
 * <p>The two longs hold the text (big-endian) order, as {@link UUID} does; only the wire methods
 * swap.
 *
 * @param mostSigBits the first 8 bytes of the text form
 * @param leastSigBits the last 8 bytes of the text form
 */
public record Guid(long mostSigBits, long leastSigBits) {

  /** The all-zero GUID, sent as "no previous CMID". */
  public static final Guid ZERO = new Guid(0, 0);

  /** The GUID of a UUID. */
  public static Guid of(UUID uuid) {
    return new Guid(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
  }

  /** Parses the text form {@code 55c92734-d682-4d71-983e-d6ec3f16059f}. */
  public static Guid parse(String text) {
    if (text.length() != 36) {
      throw new IllegalArgumentException("a GUID has 36 characters: '" + text + "'");
    }
    return of(UUID.fromString(text));
  }

  /** Reads 16 wire bytes at {@code offset}. */
  public static Guid fromWire(byte[] b, int offset) {
    int d1 = LittleEndian.getInt(b, offset);
    int d2 = LittleEndian.getShort(b, offset + 4);
    int d3 = LittleEndian.getShort(b, offset + 6);
    long msb = (d1 & 0xffffffffL) << 32 | (long) d2 << 16 | d3;
    long lsb = Long.reverseBytes(LittleEndian.getLong(b, offset + 8));
    return new Guid(msb, lsb);
  }

  /** Writes the 16 wire bytes at {@code offset}. */
  public void toWire(byte[] b, int offset) {
    LittleEndian.putInt(b, offset, (int) (mostSigBits >>> 32));
    LittleEndian.putShort(b, offset + 4, (int) (mostSigBits >>> 16));
    LittleEndian.putShort(b, offset + 6, (int) mostSigBits);
    LittleEndian.putLong(b, offset + 8, Long.reverseBytes(leastSigBits));
  }

  /** The 16 wire bytes. */
  public byte[] toWire() {
    byte[] b = new byte[16];
    toWire(b, 0);
    return b;
  }

  /** This GUID as a UUID. */
  public UUID toUuid() {
    return new UUID(mostSigBits, leastSigBits);
  }

  /** The RFC 4122 version nibble (5 marks a name-based, possibly synthetic, ID). */
  public int version() {
    return (int) (mostSigBits >>> 12) & 0xf;
  }

  /** The lower-case text form. */
  @Override
  public String toString() {
    return toUuid().toString();
  }
}
