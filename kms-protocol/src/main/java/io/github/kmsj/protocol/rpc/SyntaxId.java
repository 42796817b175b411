package io.github.kmsj.protocol.rpc;

import io.github.kmsj.protocol.message.Guid;
import java.util.Objects;

/**
 * A presentation syntax identifier: a UUID and a version ([C706] 12.6.3.1 {@code p_syntax_id_t}).
 *
 * @param uuid the interface or transfer syntax UUID
 * @param version major in the low 16 bits, minor in the high 16 bits (u32)
 */
public record SyntaxId(Guid uuid, int version) {
  /** The KMS interface, {@code 51c82175-844e-4750-b0d8-ec255555bc06} version 1.0. */
  public static final SyntaxId KMS_INTERFACE =
      new SyntaxId(Guid.parse("51c82175-844e-4750-b0d8-ec255555bc06"), 1);

  /** The all-zero syntax sent in rejected and negotiate_ack results. */
  public static final SyntaxId NULL = new SyntaxId(Guid.ZERO, 0);

  /** Null check. */
  public SyntaxId {
    Objects.requireNonNull(uuid, "uuid");
  }

  /**
   * Whether this is a bind time feature negotiation syntax: UUID {@code 6cb71c2c-9812-4540-...}
   * whose last 8 bytes are the feature bitmask ([MS-RPCE] 2.2.2.14).
   */
  public boolean isBindTimeFeatureNegotiation() {
    return uuid.mostSigBits() == 0x6cb71c2c98124540L;
  }

  /** The BTFN bitmask (first octet of UUID bytes 8-15); 0 when this is not a BTFN syntax. */
  public int featureBitmask() {
    return isBindTimeFeatureNegotiation() ? (int) (uuid.leastSigBits() >>> 56) & 0xff : 0;
  }

  /** The BTFN syntax offering the given features. */
  public static SyntaxId bindTimeFeatures(int bitmask) {
    return new SyntaxId(new Guid(0x6cb71c2c98124540L, (long) (bitmask & 0xff) << 56), 1);
  }
}
