package io.github.kmsj.protocol;

/**
 * Bounds on what a decoder accepts before it allocates or waits for bytes.
 *
 * <p>Every KMS PDU is small (the largest observed is 312 bytes), so the defaults are generous for
 * KMS and tiny for an attacker: see the README section "Limits".
 *
 * @param maxPduSize the largest {@code frag_length} accepted, header included; a larger declared
 *     length is rejected before its body is read
 * @param maxFragments the most fragments one request may be split into
 * @param maxContextsPerBind the most presentation contexts one bind or alter_context may offer
 * @param maxStubSize the largest reassembled stub of one request
 */
public record DecodeLimits(
    int maxPduSize, int maxFragments, int maxContextsPerBind, int maxStubSize) {

  /** The defaults: 4096-byte PDUs, 4 fragments, 8 contexts per bind, 8192-byte stubs. */
  public static final DecodeLimits DEFAULT = new DecodeLimits(4096, 4, 8, 8192);

  /** The checks: every PDU needs its 16-byte header, and the other bounds must be positive. */
  public DecodeLimits {
    if (maxPduSize < 16 || maxPduSize > 65535) {
      throw new IllegalArgumentException("maxPduSize must be 16-65535: " + maxPduSize);
    }
    if (maxFragments < 1) {
      throw new IllegalArgumentException("maxFragments must be at least 1: " + maxFragments);
    }
    if (maxContextsPerBind < 1 || maxContextsPerBind > 255) {
      throw new IllegalArgumentException("maxContextsPerBind must be 1-255: " + maxContextsPerBind);
    }
    if (maxStubSize < 1) {
      throw new IllegalArgumentException("maxStubSize must be at least 1: " + maxStubSize);
    }
  }
}
