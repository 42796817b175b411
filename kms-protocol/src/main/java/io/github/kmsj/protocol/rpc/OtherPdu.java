package io.github.kmsj.protocol.rpc;

import io.github.kmsj.protocol.Bytes;
import java.util.Objects;

/**
 * A PDU of a type KMS does not use (auth3, shutdown, co_cancel, orphaned or unknown), kept
 * undecoded.
 *
 * @param type its PTYPE
 * @param header the common header
 * @param body the bytes after the 16-byte header
 */
public record OtherPdu(PduType type, PduHeader header, Bytes body) implements Pdu {
  /** Checks that the type is not one this codec decodes into another record. */
  public OtherPdu {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(body, "body");
    if (PduCodec.hasOwnRecord(type.value())) {
      throw new IllegalArgumentException("PTYPE " + type + " has its own record");
    }
  }
}
