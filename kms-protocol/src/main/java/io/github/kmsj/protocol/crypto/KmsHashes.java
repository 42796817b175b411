package io.github.kmsj.protocol.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SHA-256, the V6 HMAC key derivation and the V6 HMAC (docs/PROTOCOL.md §6.6). Pure functions; the
 * key of the latest time slot is memoised, which no caller can observe.
 *
 * <p>SHA-256 and HMAC-SHA256 are the JDK's (mandatory in every Java SE platform): HotSpot compiles
 * them to the CPU's SHA instructions where it has them, several times faster than a Java
 * implementation. Each call works on a clone of a prototype, so nothing is shared between threads
 * but read-only state.
 */
public final class KmsHashes {
  /** The length of a V6 HMAC time slot, in 100 ns FILETIME units (about 4.12 hours). */
  private static final long SLOT_INTERVAL = 0x00000022816889BDL;

  private static final long SLOT_MULTIPLIER = 0x000000208CBAB5EDL;
  private static final long SLOT_OFFSET = 0x3156CD5AC628477AL;
  private static final int HALF = 16;

  /** A never-used SHA-256 digest that every call clones. */
  private static final MessageDigest SHA256 = sha256Prototype();

  /**
   * A derived key, the slot value it was derived from and an HMAC already keyed with it (the key's
   * inner block absorbed); the array and the Mac are never handed out, only cloned.
   */
  private record SlotKey(long slot, byte[] key, Mac keyedMac) {}

  /*
   * Requests arrive with times in the same 4-hour slot, so the key of the latest slot is kept and the
   * SHA-256 is skipped; v6Hmac with that key clones the keyed Mac instead of keying a new one. A racing
   * thread may derive the same key twice; each publication is a whole, effectively immutable SlotKey
   * (its Mac is only ever cloned), and callers always get their own copy of the key.
   */
  private static volatile SlotKey lastKey;

  private KmsHashes() {}

  /** SHA-256 of {@code len} bytes of {@code data} at {@code off} (32 bytes). */
  public static byte[] sha256(byte[] data, int off, int len) {
    Objects.checkFromIndexSize(off, len, data.length);
    MessageDigest digest = clone(SHA256);
    digest.update(data, off, len);
    return digest.digest();
  }

  /** The 16-byte V6 HMAC key for a request time given as an unsigned FILETIME. */
  public static byte[] v6HmacKey(long requestTimeFiletime) {
    long slot = v6HmacSlot(requestTimeFiletime);
    SlotKey cached = lastKey;
    if (cached == null || cached.slot() != slot) {
      byte[] key = deriveKey(slot);
      cached = new SlotKey(slot, key, keyedMac(key));
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
    SlotKey cached = lastKey;
    Mac hmac =
        cached != null && Arrays.equals(cached.key(), key)
            ? clone(cached.keyedMac())
            : keyedMac(key);
    hmac.update(prefix16, 0, HALF);
    hmac.update(data, off, len);
    return Arrays.copyOfRange(hmac.doFinal(), HALF, 2 * HALF);
  }

  private static MessageDigest sha256Prototype() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static Mac keyedMac(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no HmacSHA256", e);
    }
  }

  private static MessageDigest clone(MessageDigest prototype) {
    try {
      return (MessageDigest) prototype.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digest is not cloneable", e);
    }
  }

  private static Mac clone(Mac prototype) {
    try {
      return (Mac) prototype.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("HmacSHA256 is not cloneable", e);
    }
  }
}
