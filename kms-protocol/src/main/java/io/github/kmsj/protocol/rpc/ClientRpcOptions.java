package io.github.kmsj.protocol.rpc;

/**
 * What a client offers in its bind, named after vlmcs's switches (docs/PROTOCOL.md §3.3).
 *
 * @param ndr64 offer NDR64 besides NDR32 ({@code -N1})
 * @param bindTimeFeatureNegotiation offer BTFN with bitmask 0x03 ({@code -B1})
 * @param multiplex set PFC_CONC_MPX on the bind ({@code -p} clears it)
 */
public record ClientRpcOptions(
    boolean ndr64, boolean bindTimeFeatureNegotiation, boolean multiplex) {
  /** What a current Windows client offers: NDR32, NDR64 and BTFN with flags 0x13. */
  public static final ClientRpcOptions WINDOWS = new ClientRpcOptions(true, true, true);
}
