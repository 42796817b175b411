package io.github.kmsj.protocol;

/** The checks a KMS peer makes on a decrypted message (docs/PROTOCOL.md §6.7, §6.8). */
public enum IntegrityCheck {
  /** The V4 CBC-MAC over the base message. */
  V4_HASH("V4 hash (Rijndael-160 CBC-MAC) does not match"),
  /** PKCS#7 padding of a V5/V6 message. */
  PADDING("PKCS#7 padding is wrong"),
  /** SHA-256(randomXor ⊕ D(requestSalt)) against the response hash. */
  RESPONSE_HASH("SHA-256 of the recovered random bytes does not match the response hash"),
  /** The V6 HMAC over D(responseSalt) and the plaintext. */
  V6_HMAC("V6 HMAC does not verify"),
  /** V6: xorSalts must equal D(requestSalt). */
  XOR_SALTS("xorSalts is not D(requestSalt)"),
  /** V5: the response salt must equal the request salt; V6: it must differ. */
  SALT("response salt breaks the V5/V6 salt rule"),
  /** Outer, inner and request versions must agree. */
  VERSION_ECHO("protocol version is not echoed"),
  /** The response must echo the request's client machine ID. */
  CMID_ECHO("client machine ID is not echoed"),
  /** The response must echo the request's time. */
  TIME_ECHO("request time is not echoed"),
  /** The message length must match what its fields declare. */
  LENGTH("message length does not match its declared sizes");

  private final String description;

  IntegrityCheck(String description) {
    this.description = description;
  }

  /** What it means when this check fails. */
  public String description() {
    return description;
  }
}
