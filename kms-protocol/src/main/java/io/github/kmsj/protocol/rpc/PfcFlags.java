package io.github.kmsj.protocol.rpc;

/** The {@code pfc_flags} bits of the common header ([C706] 12.6.3.1, docs/PROTOCOL.md §3.1). */
public final class PfcFlags {
  /** First fragment. */
  public static final int FIRST_FRAG = 0x01;

  /** Last fragment. */
  public static final int LAST_FRAG = 0x02;

  /** Cancel pending; on bind-type PDUs [MS-RPCE] reads it as PFC_SUPPORT_HEADER_SIGN. */
  public static final int PENDING_CANCEL = 0x04;

  /** Concurrent multiplexing. */
  public static final int CONC_MPX = 0x10;

  /** The call did not execute (faults). */
  public static final int DID_NOT_EXECUTE = 0x20;

  /** "Maybe" semantics. */
  public static final int MAYBE = 0x40;

  /** An object UUID follows a request header. */
  public static final int OBJECT_UUID = 0x80;

  /** A whole PDU in one fragment. */
  public static final int FIRST_LAST = FIRST_FRAG | LAST_FRAG;

  private PfcFlags() {}
}
