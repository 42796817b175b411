package io.github.kmsj.protocol.message;

import java.util.Objects;

/** A request as a client encoded it: the wire bytes plus what it needs to verify the answer. */
public final class EncodedRequest {
  private final KmsRequest request;
  private final byte[] bytes;
  private final byte[] decryptedSalt;

  EncodedRequest(KmsRequest request, byte[] bytes, byte[] decryptedSalt) {
    this.request = Objects.requireNonNull(request);
    this.bytes = bytes;
    this.decryptedSalt = decryptedSalt;
  }

  /** The request that was encoded. */
  public KmsRequest request() {
    return request;
  }

  /** The KMS message bytes (a copy). */
  public byte[] bytes() {
    return bytes.clone();
  }

  byte[] bytesNoCopy() {
    return bytes;
  }

  /** D(salt) for V5/V6; null for V4. */
  byte[] decryptedSalt() {
    return decryptedSalt;
  }
}
