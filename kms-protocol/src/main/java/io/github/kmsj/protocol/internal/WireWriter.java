package io.github.kmsj.protocol.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable little-endian writer; {@link #toByteArray()} returns exactly the bytes written. */
public final class WireWriter {
  private byte[] buf;
  private int pos;

  /** A writer with room for {@code capacity} bytes before it grows. */
  public WireWriter(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  private void ensure(int n) {
    if (pos + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
    }
  }

  /** The number of bytes written. */
  public int position() {
    return pos;
  }

  /** Writes one byte. */
  public WireWriter u8(int v) {
    ensure(1);
    buf[pos++] = (byte) v;
    return this;
  }

  /** Writes a u16. */
  public WireWriter u16(int v) {
    ensure(2);
    LittleEndian.putShort(buf, pos, v);
    pos += 2;
    return this;
  }

  /** Writes a u32. */
  public WireWriter u32(int v) {
    ensure(4);
    LittleEndian.putInt(buf, pos, v);
    pos += 4;
    return this;
  }

  /** Writes a u64. */
  public WireWriter u64(long v) {
    ensure(8);
    LittleEndian.putLong(buf, pos, v);
    pos += 8;
    return this;
  }

  /** Writes bytes. */
  public WireWriter bytes(byte[] b) {
    return bytes(b, 0, b.length);
  }

  /** Writes a range of bytes. */
  public WireWriter bytes(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, pos, len);
    pos += len;
    return this;
  }

  /** Appends the bytes of {@code b} without an intermediate copy. */
  public WireWriter bytes(io.github.kmsj.protocol.Bytes b) {
    ensure(b.length());
    b.copyTo(buf, pos);
    pos += b.length();
    return this;
  }

  /** Writes {@code n} zero bytes. */
  public WireWriter zeros(int n) {
    ensure(n);
    Arrays.fill(buf, pos, pos + n, (byte) 0);
    pos += n;
    return this;
  }

  /** Writes zeros up to the next multiple of {@code alignment} from the start. */
  public WireWriter align(int alignment) {
    return zeros((alignment - pos % alignment) % alignment);
  }

  /** Overwrites a u16 at an absolute offset already written. */
  public void putU16At(int offset, int v) {
    LittleEndian.putShort(buf, offset, v);
  }

  /** Overwrites a u32 at an absolute offset already written. */
  public void putU32At(int offset, int v) {
    LittleEndian.putInt(buf, offset, v);
  }

  /** Writes {@code s} as UTF-16LE into a zero-filled field of exactly {@code fieldBytes} bytes. */
  public WireWriter utf16Fixed(String s, int fieldBytes) {
    byte[] b = s.getBytes(StandardCharsets.UTF_16LE);
    if (b.length > fieldBytes - 2) {
      throw new IllegalArgumentException(
          "string of "
              + s.length()
              + " UTF-16 code units does not fit a "
              + fieldBytes
              + "-byte field: "
              + s);
    }
    bytes(b);
    return zeros(fieldBytes - b.length);
  }

  /** The bytes written, as a new array of exactly that length. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }
}
