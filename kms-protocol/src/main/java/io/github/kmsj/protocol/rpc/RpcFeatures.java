package io.github.kmsj.protocol.rpc;

/**
 * What a host's RPC layer supports in negotiation (docs/PROTOCOL.md §3.6).
 *
 * @param ndr64 accept NDR64 and then reject NDR32 in the same bind, as genuine Windows 8/Server
 *     2012 and later hosts do; false behaves like Vista/7/2008 R2 hosts
 * @param bindTimeFeatureNegotiation acknowledge BTFN contexts ([MS-RPCE] 3.3.1.5.3)
 */
public record RpcFeatures(boolean ndr64, boolean bindTimeFeatureNegotiation) {
  /** A modern genuine host: NDR64 and BTFN. */
  public static final RpcFeatures MODERN = new RpcFeatures(true, true);

  /**
   * The BTFN feature bits a host may acknowledge: security context multiplexing, keep connection on
   * orphan.
   */
  public static final int SUPPORTED_BTFN_BITS = 0x03;
}
