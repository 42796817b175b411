package io.github.kmsj.protocol.rpc;

/**
 * The common header fields a PDU value keeps ([C706] 12.6.3.1). {@code frag_length} and {@code
 * auth_length} are not kept: the encoder computes the first and always sends 0 for the second.
 *
 * @param flags {@code pfc_flags}
 * @param dataRepresentation {@code packed_drep} as a little-endian u32 (0x10 for little-endian
 *     ASCII IEEE)
 * @param callId {@code call_id}
 */
public record PduHeader(int flags, int dataRepresentation, int callId) {
  /** The only data representation KMS peers use: little-endian integers, ASCII, IEEE floats. */
  public static final int DREP_LITTLE_ENDIAN = 0x10;

  /** Range check. */
  public PduHeader {
    if (flags < 0 || flags > 255) {
      throw new IllegalArgumentException("pfc_flags must be 0-255: " + flags);
    }
  }

  /** A header with the given flags and call ID and the standard data representation. */
  public static PduHeader of(int flags, int callId) {
    return new PduHeader(flags, DREP_LITTLE_ENDIAN, callId);
  }

  /** Whether the given flag bits are all set. */
  public boolean has(int flag) {
    return (flags & flag) == flag;
  }
}
