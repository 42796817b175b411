package io.github.kmsj.protocol.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Little-endian loads and stores on byte arrays through VarHandles (no buffer objects on the hot
 * path).
 */
public final class LittleEndian {
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

  private LittleEndian() {}

  /** The u32 at {@code off}. */
  public static int getInt(byte[] b, int off) {
    return (int) INT.get(b, off);
  }

  /** The u64 at {@code off}. */
  public static long getLong(byte[] b, int off) {
    return (long) LONG.get(b, off);
  }

  /** The u16 at {@code off}, unsigned. */
  public static int getShort(byte[] b, int off) {
    return ((short) SHORT.get(b, off)) & 0xffff;
  }

  /** Stores a u32. */
  public static void putInt(byte[] b, int off, int v) {
    INT.set(b, off, v);
  }

  /** Stores a u64. */
  public static void putLong(byte[] b, int off, long v) {
    LONG.set(b, off, v);
  }

  /** Stores a u16. */
  public static void putShort(byte[] b, int off, int v) {
    SHORT.set(b, off, (short) v);
  }
}
