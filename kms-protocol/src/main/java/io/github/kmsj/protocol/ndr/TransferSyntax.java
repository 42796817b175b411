package io.github.kmsj.protocol.ndr;

import io.github.kmsj.protocol.message.Guid;

/**
 * The two NDR transfer syntaxes a KMS association can use ([MS-RPCE] 2.2.5, docs/PROTOCOL.md §3.3).
 */
public enum TransferSyntax {
  /** NDR 2.0, 32-bit ({@code 8a885d04-1ceb-11c9-9fe8-08002b104860} v2). */
  NDR32(Guid.parse("8a885d04-1ceb-11c9-9fe8-08002b104860"), 2),
  /** NDR64 ({@code 71710533-beba-4937-8319-b5dbef9ccc36} v1). */
  NDR64(Guid.parse("71710533-beba-4937-8319-b5dbef9ccc36"), 1);

  private final Guid uuid;
  private final int version;

  TransferSyntax(Guid uuid, int version) {
    this.uuid = uuid;
    this.version = version;
  }

  /** The transfer syntax UUID. */
  public Guid uuid() {
    return uuid;
  }

  /** The transfer syntax version sent in binds and results. */
  public int version() {
    return version;
  }

  /** The syntax with this UUID, or null when it is neither NDR32 nor NDR64. */
  public static TransferSyntax ofUuid(Guid uuid) {
    if (NDR32.uuid.equals(uuid)) {
      return NDR32;
    }
    return NDR64.uuid.equals(uuid) ? NDR64 : null;
  }
}
