/**
 * The KMS protocol codec: DCE/RPC connection-oriented framing, NDR32/NDR64 stubs, KMS V4/V5/V6
 * messages and their cryptography. Pure functions: bytes in, values out; no sockets, threads,
 * clocks, logging or global randomness. It needs nothing but {@code java.base}.
 */
module io.github.kmsj.protocol {
  exports io.github.kmsj.protocol;
  exports io.github.kmsj.protocol.crypto;
  exports io.github.kmsj.protocol.message;
  exports io.github.kmsj.protocol.rpc;
  exports io.github.kmsj.protocol.ndr;
}
