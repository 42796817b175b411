package io.github.kmsj.protocol.rpc;

import java.util.List;
import java.util.Objects;

/**
 * A bind_ack (PTYPE 12) or alter_context_resp (PTYPE 15) ([C706] 12.6.4.4, docs/PROTOCOL.md §3.4).
 *
 * @param type {@link PduType#BIND_ACK} or {@link PduType#ALTER_CONTEXT_RESP}
 * @param header the common header
 * @param maxXmitFrag {@code max_xmit_frag} (u16)
 * @param maxRecvFrag {@code max_recv_frag} (u16)
 * @param assocGroupId {@code assoc_group_id} (u32)
 * @param secondaryAddress the port string without its NUL; empty for none
 * @param results one result per offered context, in order
 */
public record BindAckPdu(
    PduType type,
    PduHeader header,
    int maxXmitFrag,
    int maxRecvFrag,
    int assocGroupId,
    String secondaryAddress,
    List<ContextResult> results)
    implements Pdu {
  /** Checks. */
  public BindAckPdu {
    if (!PduType.BIND_ACK.equals(type) && !PduType.ALTER_CONTEXT_RESP.equals(type)) {
      throw new IllegalArgumentException(
          "a bind answer is bind_ack or alter_context_resp: " + type);
    }
    Objects.requireNonNull(header, "header");
    PduCodec.checkU16(maxXmitFrag, "max_xmit_frag");
    PduCodec.checkU16(maxRecvFrag, "max_recv_frag");
    Objects.requireNonNull(secondaryAddress, "secondaryAddress");
    if (!secondaryAddress.chars().allMatch(c -> c > 0 && c < 128)) {
      throw new IllegalArgumentException(
          "secondaryAddress must be short ASCII without NUL: " + secondaryAddress);
    }
    results = List.copyOf(results);
    if (results.size() > 255) {
      throw new IllegalArgumentException("n_results must be 0-255: " + results.size());
    }
  }
}
