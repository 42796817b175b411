package io.github.kmsj.protocol.crypto;

import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * SHA-256, the V6 HMAC key derivation and the V6 HMAC (PROTOCOL.md §6.6). Pure functions; the key of the
 * latest time slot is memoised, which no caller can observe.
 */
public final class KmsHashes {
  /** The length of a V6 HMAC time slot, in 100 ns FILETIME units (about 4.12 hours). */
  private static final long SLOT_INTERVAL = 0x00000022816889BDL;

  private static final long SLOT_MULTIPLIER = 0x000000208CBAB5EDL;
  private static final long SLOT_OFFSET = 0x3156CD5AC628477AL;
  private static final int HALF = 16;

  /** A derived key and the slot value it was derived from; the array is never handed out. */
  private record SlotKey(long slot, byte[] key) {}

  /*
   * Requests arrive with times in the same 4-hour slot, so the key of the latest slot is kept and the
   * SHA-256 is skipped. A racing thread may derive the same key twice; each publication is a whole,
   * immutable SlotKey, and callers always get their own copy.
   */
  private static volatile SlotKey lastKey;

  private KmsHashes() {}

  /** SHA-256 of {@code len} bytes of {@code data} at {@code off} (32 bytes). */
  public static byte[] sha256(byte[] data, int off, int len) {
    Objects.checkFromIndexSize(off, len, data.length);
    SHA256Digest digest = new SHA256Digest();
    digest.update(data, off, len);
    byte[] out = new byte[digest.getDigestSize()];
    digest.doFinal(out, 0);
    return out;
  }

  /** The 16-byte V6 HMAC key for a request time given as an unsigned FILETIME. */
  public static byte[] v6HmacKey(long requestTimeFiletime) {
    long slot = v6HmacSlot(requestTimeFiletime);
    SlotKey cached = lastKey;
    if (cached == null || cached.slot() != slot) {
      cached = new SlotKey(slot, deriveKey(slot));
      lastKey = cached;
    }
    return cached.key().clone();
  }

  private static byte[] deriveKey(long slot) {
    byte[] le = new byte[8];
    for (int i = 0; i < 8; i++) {
      le[i] = (byte) (slot >>> (8 * i));
    }
    return Arrays.copyOfRange(sha256(le, 0, le.length), HALF, 2 * HALF);
  }

  /**
   * The slot value hashed into the V6 HMAC key: (T div 0x22816889BD) × 0x208CBAB5ED +
   * 0x3156CD5AC628477A mod 2^64.
   */
  static long v6HmacSlot(long requestTimeFiletime) {
    return Long.divideUnsigned(requestTimeFiletime, SLOT_INTERVAL) * SLOT_MULTIPLIER + SLOT_OFFSET;
  }

  /** Bytes 16-31 of HMAC-SHA256(key, prefix16 ‖ data[off..off+len)). */
  public static byte[] v6Hmac(byte[] key, byte[] prefix16, byte[] data, int off, int len) {
    if (key.length != HALF) {
      throw new IllegalArgumentException("V6 HMAC key must be 16 bytes: " + key.length);
    }
    if (prefix16.length != HALF) {
      throw new IllegalArgumentException("V6 HMAC prefix must be 16 bytes: " + prefix16.length);
    }
    Objects.checkFromIndexSize(off, len, data.length);
    HMac hmac = new HMac(new SHA256Digest());
    hmac.init(new KeyParameter(key));
    hmac.update(prefix16, 0, HALF);
    hmac.update(data, off, len);
    byte[] out = new byte[hmac.getMacSize()];
    hmac.doFinal(out, 0);
    return Arrays.copyOfRange(out, HALF, 2 * HALF);
  }
}
