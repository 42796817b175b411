package io.github.kmsj.protocol.internal;

import io.github.kmsj.protocol.MalformedPduException;
import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked little-endian reader over a byte array region; every read checks its length
 * first and fails with {@link MalformedPduException} naming the structure, the field and the
 * offset.
 *
 * <p>Offsets reported are relative to the region's start, which is the start of the named
 * structure. Modelled on dnsjava's {@code DNSInput}.
 */
public final class WireReader {
  private final byte[] buf;
  private final int start;
  private final int end;
  private final String structure;
  private int pos;

  /** A reader over {@code length} bytes of {@code buf} from {@code offset}. */
  public WireReader(byte[] buf, int offset, int length, String structure) {
    if (offset < 0 || length < 0 || offset + length > buf.length) {
      throw new IndexOutOfBoundsException("region " + offset + "+" + length + " of " + buf.length);
    }
    this.buf = buf;
    this.start = offset;
    this.end = offset + length;
    this.pos = offset;
    this.structure = structure;
  }

  /** A reader over the whole array. */
  public WireReader(byte[] buf, String structure) {
    this(buf, 0, buf.length, structure);
  }

  /** The structure this reader decodes, for error messages. */
  public String structure() {
    return structure;
  }

  /** The current offset from the region's start. */
  public int position() {
    return pos - start;
  }

  /** Moves to an offset from the region's start. */
  public void position(int offset, String field) {
    if (offset < 0 || start + offset > end) {
      throw error(field, offset, "offset outside the " + (end - start) + "-byte structure");
    }
    pos = start + offset;
  }

  /** The bytes left in the region. */
  public int remaining() {
    return end - pos;
  }

  /** The region's length. */
  public int length() {
    return end - start;
  }

  /** Fails unless {@code n} more bytes are available. */
  public void require(int n, String field) {
    if (n < 0 || n > end - pos) {
      throw error(field, position(), "needs " + n + " bytes, " + (end - pos) + " left");
    }
  }

  /** An error at the current position. */
  public MalformedPduException error(String field, String detail) {
    return error(field, position(), detail);
  }

  /** An error at an explicit offset. */
  public MalformedPduException error(String field, int offset, String detail) {
    return new MalformedPduException(structure, field, offset, detail);
  }

  /** Reads one unsigned byte. */
  public int u8(String field) {
    require(1, field);
    return buf[pos++] & 0xff;
  }

  /** Reads an unsigned little-endian 16-bit value. */
  public int u16(String field) {
    require(2, field);
    int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8;
    pos += 2;
    return v;
  }

  /** Reads a little-endian 32-bit value (as a signed int; use {@link Integer#toUnsignedLong}). */
  public int u32(String field) {
    require(4, field);
    int v = LittleEndian.getInt(buf, pos);
    pos += 4;
    return v;
  }

  /** Reads a little-endian 64-bit value. */
  public long u64(String field) {
    require(8, field);
    long v = LittleEndian.getLong(buf, pos);
    pos += 8;
    return v;
  }

  /** Reads {@code n} bytes into a new array. */
  public byte[] bytes(int n, String field) {
    require(n, field);
    byte[] out = new byte[n];
    System.arraycopy(buf, pos, out, 0, n);
    pos += n;
    return out;
  }

  /** Skips {@code n} bytes. */
  public void skip(int n, String field) {
    require(n, field);
    pos += n;
  }

  /** Skips to the next multiple of {@code alignment}, counted from the region's start. */
  public void align(int alignment, String field) {
    int off = position();
    int pad = (alignment - off % alignment) % alignment;
    skip(pad, field);
  }

  /** The absolute index of the current position in the underlying array. */
  public int arrayOffset() {
    return pos;
  }

  /** The underlying array (not a copy). */
  public byte[] array() {
    return buf;
  }

  /**
   * A reader over the next {@code n} bytes, which this reader then skips; a nested length can never
   * read past its parent.
   */
  public WireReader slice(int n, String field, String subStructure) {
    require(n, field);
    WireReader sub = new WireReader(buf, pos, n, subStructure);
    pos += n;
    return sub;
  }

  /** Reads a fixed-size UTF-16LE field of {@code n} bytes, up to its first NUL. */
  public String utf16Fixed(int n, String field) {
    require(n, field);
    int len = 0;
    while (len + 1 < n && (buf[pos + len] != 0 || buf[pos + len + 1] != 0)) {
      len += 2;
    }
    String s = new String(buf, pos, len, StandardCharsets.UTF_16LE);
    pos += n;
    return s;
  }
}
