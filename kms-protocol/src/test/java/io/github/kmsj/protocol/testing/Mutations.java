package io.github.kmsj.protocol.testing;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Arbitraries that damage valid inputs: truncated, extended, bit-flipped, or a field overwritten.
 */
public final class Mutations {
  private Mutations() {}

  /** Random bytes up to {@code maxSize} long. */
  public static Arbitrary<byte[]> noise(int maxSize) {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(maxSize);
  }

  /**
   * Variants of each value of {@code valid}: cut short, lengthened, with 1-4 bytes XORed, or with a
   * 4-byte run overwritten.
   */
  public static Arbitrary<byte[]> of(Arbitrary<byte[]> valid) {
    return valid.flatMap(Mutations::of);
  }

  /** Variants of one valid input. */
  public static Arbitrary<byte[]> of(byte[] valid) {
    int n = valid.length;
    Arbitrary<byte[]> truncated =
        Arbitraries.integers().between(0, Math.max(0, n - 1)).map(k -> Arrays.copyOf(valid, k));
    Arbitrary<byte[]> extended =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMinSize(1)
            .ofMaxSize(64)
            .map(tail -> concat(valid, tail));
    if (n == 0) {
      return extended;
    }
    Arbitrary<List<int[]>> flips =
        Combinators.combine(
                Arbitraries.integers().between(0, n - 1), Arbitraries.integers().between(1, 255))
            .as((at, mask) -> new int[] {at, mask})
            .list()
            .ofMinSize(1)
            .ofMaxSize(4);
    Arbitrary<byte[]> flipped =
        flips.map(
            list -> {
              byte[] b = valid.clone();
              list.forEach(f -> b[f[0]] ^= (byte) f[1]);
              return b;
            });
    Arbitrary<byte[]> overwritten =
        Combinators.combine(
                Arbitraries.integers().between(0, n - 1),
                Arbitraries.of(0x00, 0xff, 0x7f, 0x80).map(Integer::byteValue))
            .as(
                (at, value) -> {
                  byte[] b = valid.clone();
                  Arrays.fill(b, at, Math.min(n, at + 4), value);
                  return b;
                });
    return Arbitraries.oneOf(truncated, extended, flipped, flipped, overwritten);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
