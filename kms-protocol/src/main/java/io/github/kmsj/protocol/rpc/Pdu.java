package io.github.kmsj.protocol.rpc;

/** A connection-oriented RPC PDU; {@link PduCodec} decodes and encodes them. */
public sealed interface Pdu
    permits BindPdu, BindAckPdu, BindNakPdu, RequestPdu, ResponsePdu, FaultPdu, OtherPdu {
  /** The PTYPE. */
  PduType type();

  /** The common header fields. */
  PduHeader header();

  /** The call ID. */
  default int callId() {
    return header().callId();
  }
}
