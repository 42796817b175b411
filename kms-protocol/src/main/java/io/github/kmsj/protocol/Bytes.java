package io.github.kmsj.protocol;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable byte string: salts, hashes, HWIDs and other fixed-size wire values.
 *
 * <p>Records cannot compare arrays by value, so wire records hold a {@code Bytes} instead of a
 * {@code byte[]}. The array is copied on the way in and out.
 */
public final class Bytes {
  private static final HexFormat HEX = HexFormat.of();
  private static final Bytes EMPTY = new Bytes(new byte[0]);

  private final byte[] bytes;

  private Bytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A copy of {@code bytes}. */
  public static Bytes of(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone());
  }

  /** A copy of {@code length} bytes of {@code bytes} from {@code offset}. */
  public static Bytes of(byte[] bytes, int offset, int length) {
    return new Bytes(Arrays.copyOfRange(bytes, offset, offset + length));
  }

  /**
   * Takes ownership of {@code bytes} without copying; the caller must not change the array
   * afterwards.
   */
  static Bytes wrap(byte[] bytes) {
    return new Bytes(bytes);
  }

  /** Parses hex digits in wire order, for example {@code "364F463A8863D35F"}. */
  public static Bytes fromHex(String hex) {
    try {
      return new Bytes(HEX.parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not an even number of hex digits: '" + hex + "'", e);
    }
  }

  /** The number of bytes. */
  public int length() {
    return bytes.length;
  }

  /** The byte at {@code index}. */
  public byte get(int index) {
    return bytes[index];
  }

  /** A copy of the bytes. */
  public byte[] toArray() {
    return bytes.clone();
  }

  /** Copies the bytes into {@code target} at {@code offset}. */
  public void copyTo(byte[] target, int offset) {
    System.arraycopy(bytes, 0, target, offset, bytes.length);
  }

  /** Lower-case hex digits in wire order. */
  public String toHex() {
    return HEX.formatHex(bytes);
  }

  /** Whether the two byte strings are equal, in time that does not depend on where they differ. */
  public boolean constantTimeEquals(Bytes other) {
    return java.security.MessageDigest.isEqual(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Hex digits in wire order. */
  @Override
  public String toString() {
    return toHex();
  }
}
