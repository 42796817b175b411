package io.github.kmsj.protocol.message;

import io.github.kmsj.protocol.Bytes;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The random inputs of a V5/V6 response: the host's secret R and, for V6, the fresh response salt
 * (docs/PROTOCOL.md §6.7). Passing them in keeps the codec pure and lets tests reproduce recorded
 * responses.
 *
 * @param random R, 16 bytes, never sent in the clear
 * @param responseSalt the V6 response IV, 16 bytes (ignored for V4 and V5)
 */
public record ResponseRandom(Bytes random, Bytes responseSalt) {
  /** Size checks. */
  public ResponseRandom {
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(responseSalt, "responseSalt");
    if (random.length() != 16 || responseSalt.length() != 16) {
      throw new IllegalArgumentException("random and responseSalt must be 16 bytes each");
    }
  }

  /** Draws both values from {@code rng} (a {@link java.security.SecureRandom} in production). */
  public static ResponseRandom generate(RandomGenerator rng) {
    byte[] b = new byte[32];
    rng.nextBytes(b);
    return new ResponseRandom(Bytes.of(b, 0, 16), Bytes.of(b, 16, 16));
  }
}
