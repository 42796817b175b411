package io.github.kmsj.protocol.message;

import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.IntegrityCheck;
import io.github.kmsj.protocol.MalformedPduException;
import io.github.kmsj.protocol.UnsupportedVersionException;
import io.github.kmsj.protocol.crypto.KmsCipher;
import io.github.kmsj.protocol.crypto.KmsHashes;
import io.github.kmsj.protocol.crypto.Pkcs7;
import io.github.kmsj.protocol.crypto.V4Hash;
import io.github.kmsj.protocol.internal.LittleEndian;
import io.github.kmsj.protocol.internal.WireReader;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The client side of the KMS message codec: encodes a request, decodes and verifies the response
 * (docs/PROTOCOL.md §6.8). Pure and thread-safe.
 */
public final class KmsClientCodec {
  private KmsClientCodec() {}

  /** Encodes a request; V5/V6 encrypt with the salt the request value carries. */
  public static EncodedRequest encodeRequest(KmsRequest request) {
    Objects.requireNonNull(request, "request");
    if (request instanceof RequestV4 v4) {
      byte[] out = new byte[KmsHostCodec.V4_REQUEST_SIZE];
      BaseCodec.writeRequest(v4.base(), out, 0);
      System.arraycopy(V4Hash.compute(out, 0, BaseRequest.SIZE), 0, out, BaseRequest.SIZE, 16);
      return new EncodedRequest(request, out, null);
    }
    if (request instanceof UnsupportedRequest u) {
      return new EncodedRequest(request, u.message().toArray(), null);
    }
    BaseRequest base;
    Bytes salt;
    KmsCipher cipher;
    if (request instanceof RequestV5 v5) {
      base = v5.base();
      salt = v5.salt();
      cipher = KmsCipher.V5;
    } else {
      RequestV6 v6 = (RequestV6) request;
      base = v6.base();
      salt = v6.salt();
      cipher = KmsCipher.V6;
    }
    byte[] out = new byte[KmsHostCodec.V56_REQUEST_SIZE];
    LittleEndian.putInt(out, 0, request.version().toWire());
    salt.copyTo(out, 4);
    BaseCodec.writeRequest(base, out, 20);
    Pkcs7.pad(out, 20, BaseRequest.SIZE);
    cipher.cbcEncrypt(out, 4, out, 20, 240);
    byte[] dSalt = new byte[16];
    cipher.decryptBlock(out, 4, dSalt, 0);
    return new EncodedRequest(request, out, dSalt);
  }

  /**
   * Decodes a response to {@code sent} and makes every check of docs/PROTOCOL.md §6.8.
   *
   * @throws MalformedPduException when the message cannot be decoded at all (too short, bad ePID
   *     size, length not a whole number of blocks)
   * @throws UnsupportedVersionException when {@code sent} was an unsupported request
   */
  public static VerifiedResponse decodeResponse(EncodedRequest sent, byte[] message) {
    Objects.requireNonNull(sent, "sent");
    Objects.requireNonNull(message, "message");
    KmsRequest request = sent.request();
    if (request instanceof UnsupportedRequest u) {
      throw new UnsupportedVersionException(u.version(), "no response format for this version");
    }
    List<IntegrityCheck> failed = new ArrayList<>();
    KmsResponse response;
    if (request instanceof RequestV4) {
      response = decodeV4(message, failed);
    } else {
      response = decodeEncrypted(sent, message, failed);
    }
    BaseRequest base = baseOf(request);
    if (!response.base().version().equals(request.version())) {
      failed.add(IntegrityCheck.VERSION_ECHO);
    }
    if (!response.base().cmid().equals(base.cmid())) {
      failed.add(IntegrityCheck.CMID_ECHO);
    }
    if (!response.base().requestTime().equals(base.requestTime())) {
      failed.add(IntegrityCheck.TIME_ECHO);
    }
    return new VerifiedResponse(response, failed);
  }

  private static BaseRequest baseOf(KmsRequest request) {
    if (request instanceof RequestV4 v4) {
      return v4.base();
    } else if (request instanceof RequestV5 v5) {
      return v5.base();
    }
    return ((RequestV6) request).base();
  }

  private static ResponseV4 decodeV4(byte[] message, List<IntegrityCheck> failed) {
    WireReader r = new WireReader(message, "V4 response");
    BaseResponse base = BaseCodec.readResponse(r);
    int size = r.position();
    byte[] hash = r.bytes(16, "hash");
    if (r.remaining() != 0) {
      failed.add(IntegrityCheck.LENGTH);
    }
    if (!MessageDigest.isEqual(hash, V4Hash.compute(message, 0, size))) {
      failed.add(IntegrityCheck.V4_HASH);
    }
    return new ResponseV4(base, Bytes.of(hash));
  }

  private static KmsResponse decodeEncrypted(
      EncodedRequest sent, byte[] message, List<IntegrityCheck> failed) {
    boolean v6 = sent.request() instanceof RequestV6;
    String structure = v6 ? "V6 response" : "V5 response";
    WireReader outer = new WireReader(message, structure);
    ProtocolVersion outerVersion = ProtocolVersion.fromWire(outer.u32("version"));
    outer.require(16, "salt");
    int cipherLength = message.length - 20;
    if (cipherLength <= 0 || cipherLength % 16 != 0) {
      throw outer.error(
          "ciphertext", 20, "length " + cipherLength + " is not a positive multiple of 16");
    }
    if (!outerVersion.equals(sent.request().version())) {
      failed.add(IntegrityCheck.VERSION_ECHO);
    }
    KmsCipher cipher = v6 ? KmsCipher.V6 : KmsCipher.V5;
    byte[] salt = Arrays.copyOfRange(message, 4, 20);
    byte[] plain = Arrays.copyOfRange(message, 20, message.length);
    cipher.cbcDecrypt(salt, 0, plain, 0, plain.length);
    int plainLength = Pkcs7.unpaddedLength(plain, 0, plain.length);
    if (plainLength < 0) {
      failed.add(IntegrityCheck.PADDING);
      plainLength = plain.length;
    }
    WireReader r = new WireReader(plain, 0, plainLength, "decrypted " + structure);
    BaseResponse base = BaseCodec.readResponse(r);
    byte[] randomXor = r.bytes(16, "randomXor");
    byte[] hash = r.bytes(32, "hash");
    byte[] dReqSalt = sent.decryptedSalt();
    byte[] random = new byte[16];
    for (int i = 0; i < 16; i++) {
      random[i] = (byte) (randomXor[i] ^ dReqSalt[i]);
    }
    if (!MessageDigest.isEqual(hash, KmsHashes.sha256(random, 0, 16))) {
      failed.add(IntegrityCheck.RESPONSE_HASH);
    }
    byte[] requestSalt = Arrays.copyOfRange(sent.bytesNoCopy(), 4, 20);
    if (!v6) {
      if (r.remaining() != 0) {
        failed.add(IntegrityCheck.LENGTH);
      }
      if (!Arrays.equals(salt, requestSalt)) {
        failed.add(IntegrityCheck.SALT);
      }
      return new ResponseV5(base, Bytes.of(salt), Bytes.of(randomXor), Bytes.of(hash));
    }
    byte[] hwid = r.bytes(8, "hwid");
    byte[] xorSalts = r.bytes(16, "xorSalts");
    int macEnd = r.position();
    byte[] hmac = r.bytes(16, "hmac");
    if (r.remaining() != 0) {
      failed.add(IntegrityCheck.LENGTH);
    }
    if (!MessageDigest.isEqual(xorSalts, dReqSalt)) {
      failed.add(IntegrityCheck.XOR_SALTS);
    }
    byte[] dResponseSalt = new byte[16];
    cipher.decryptBlock(salt, 0, dResponseSalt, 0);
    byte[] key = KmsHashes.v6HmacKey(baseOf(sent.request()).requestTime().value());
    byte[] expected = KmsHashes.v6Hmac(key, dResponseSalt, plain, 0, macEnd);
    if (!MessageDigest.isEqual(expected, hmac)) {
      failed.add(IntegrityCheck.V6_HMAC);
    }
    if (Arrays.equals(salt, requestSalt)) {
      failed.add(IntegrityCheck.SALT);
    }
    return new ResponseV6(
        base,
        Bytes.of(salt),
        Bytes.of(randomXor),
        Bytes.of(hash),
        Bytes.of(hwid),
        Bytes.of(xorSalts),
        Bytes.of(hmac));
  }
}
