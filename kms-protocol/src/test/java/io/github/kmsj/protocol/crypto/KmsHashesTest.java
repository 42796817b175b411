package io.github.kmsj.protocol.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

/** SHA-256, the V6 HMAC key's time slots, and the V6 HMAC against the JDK's HmacSHA256. */
final class KmsHashesTest {
  private static final long SLOT = 0x22816889BDL;

  /** The last slot index that fits whole below 2^64; slot 124 471 957 is cut short by the wrap. */
  private static final long LAST_WHOLE_SLOT = 124_471_956L;

  @Test
  void sha256_abc_matchesFips180Example() {
    byte[] buf = "xxabcyy".getBytes(StandardCharsets.US_ASCII);
    assertEquals(
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        Hex.toHexString(KmsHashes.sha256(buf, 2, 3)));
  }

  @Property
  void v6HmacKey_sameSlot_sameKey(
      @ForAll @LongRange(min = 0, max = LAST_WHOLE_SLOT) long slotIndex,
      @ForAll @LongRange(min = 0, max = SLOT - 1) long within) {
    long start = slotIndex * SLOT; // unsigned: may exceed Long.MAX_VALUE
    assertArrayEquals(KmsHashes.v6HmacKey(start), KmsHashes.v6HmacKey(start + within));
  }

  @Property
  void v6HmacKey_nextSlot_differentKey(
      @ForAll @LongRange(min = 1, max = LAST_WHOLE_SLOT + 1) long slotIndex) {
    long start = slotIndex * SLOT;
    assertFalse(Arrays.equals(KmsHashes.v6HmacKey(start - 1), KmsHashes.v6HmacKey(start)));
  }

  @Test
  void v6HmacSlot_filetimeAboveLongMax_dividesUnsigned() {
    long t = 0xffffffffffffffffL;
    long expected = Long.divideUnsigned(t, SLOT) * 0x208CBAB5EDL + 0x3156CD5AC628477AL;
    assertEquals(expected, KmsHashes.v6HmacSlot(t));
    assertEquals(0x22d435fe2c79ac6bL, KmsHashes.v6HmacSlot(t));
  }

  @Property
  void v6Hmac_anyInput_equalsSecondHalfOfJdkHmacSha256(
      @ForAll @Size(16) byte[] key,
      @ForAll @Size(16) byte[] prefix,
      @ForAll @Size(max = 300) byte[] data,
      @ForAll @IntRange(max = 300) int cut)
      throws GeneralSecurityException {
    int off = Math.min(cut, data.length);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    mac.update(prefix);
    mac.update(data, off, data.length - off);
    byte[] full = mac.doFinal();
    assertArrayEquals(
        Arrays.copyOfRange(full, 16, 32),
        KmsHashes.v6Hmac(key, prefix, data, off, data.length - off));
  }

  @Test
  void v6Hmac_wrongLengths_throw() {
    byte[] b16 = new byte[16];
    assertThrows(
        IllegalArgumentException.class, () -> KmsHashes.v6Hmac(new byte[15], b16, b16, 0, 16));
    assertThrows(
        IllegalArgumentException.class, () -> KmsHashes.v6Hmac(b16, new byte[17], b16, 0, 16));
    assertThrows(IndexOutOfBoundsException.class, () -> KmsHashes.v6Hmac(b16, b16, b16, 8, 9));
    assertThrows(IndexOutOfBoundsException.class, () -> KmsHashes.sha256(b16, -1, 4));
  }
}
