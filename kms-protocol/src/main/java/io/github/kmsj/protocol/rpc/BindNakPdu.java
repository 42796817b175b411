package io.github.kmsj.protocol.rpc;

import java.util.Objects;

/**
 * A bind_nak (PTYPE 13) ([C706] 12.6.4.5, docs/PROTOCOL.md §3.5); trailing bytes after the version
 * list are ignored on decode.
 *
 * @param header the common header
 * @param rejectReason {@code provider_reject_reason} (u16)
 * @param versions supported RPC versions as (major &lt;&lt; 8 | minor) bytes pairs
 */
public record BindNakPdu(PduHeader header, int rejectReason, java.util.List<Integer> versions)
    implements Pdu {
  /** 2: local limit exceeded. */
  public static final int LOCAL_LIMIT_EXCEEDED = 2;

  /** 4: protocol version not supported ([MS-RPCE]: any protocol error in a bind). */
  public static final int PROTOCOL_VERSION_NOT_SUPPORTED = 4;

  /** Checks. */
  public BindNakPdu {
    Objects.requireNonNull(header, "header");
    PduCodec.checkU16(rejectReason, "provider_reject_reason");
    versions = java.util.List.copyOf(versions);
  }

  @Override
  public PduType type() {
    return PduType.BIND_NAK;
  }
}
