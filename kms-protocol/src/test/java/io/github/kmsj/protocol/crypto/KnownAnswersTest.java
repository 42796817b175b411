package io.github.kmsj.protocol.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.kmsj.protocol.testing.GoldenVectors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs every case of {@code vectors/crypto/known-answers.json}, one test per case name. */
final class KnownAnswersTest {
  private static final String V4_KEY = "053d8307f9e5f088eb5ea6686cf037c7e4efd2d6";
  private static final String V5_KEY = "cd7e796f2ab25dcb55ffc8ef8364c470";
  private static final String V6_KEY = "a94a4195e201432d9bcb460405d84a21";

  /** The number of cases in the recorded file; fewer fail the test instead of shrinking it. */
  private static final int RECORDED_CASES = 18;

  static Stream<Arguments> cases() throws IOException {
    Path file = GoldenVectors.knownAnswersFile();
    JsonNode root;
    try (InputStream in = Files.newInputStream(file)) {
      root = new ObjectMapper().readTree(in);
    }
    List<Arguments> cases = new ArrayList<>();
    root.get("cases").forEach(c -> cases.add(Arguments.of(c.get("name").asText(), c)));
    assertTrue(
        cases.size() >= RECORDED_CASES,
        file + " holds " + cases.size() + " cases, " + RECORDED_CASES + " were recorded");
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void knownAnswer_case_matchesExpectedOutput(String name, JsonNode c) {
    String op = c.get("op").asText();
    switch (op) {
      case "encrypt-block":
        checkBlock(c, true);
        break;
      case "decrypt-block":
        checkBlock(c, false);
        break;
      case "expand-key":
        checkExpandedKey(c);
        break;
      case "v4-hash":
        byte[] m = hex(c, "input");
        assertHex(c.get("output").asText(), V4Hash.compute(m, 0, m.length));
        break;
      case "v6-hmac-key":
        checkHmacKey(c);
        break;
      case "cbc-encrypt":
        checkCbc(c);
        break;
      default:
        fail("unknown op '" + op + "' in case " + name);
    }
  }

  private static void checkBlock(JsonNode c, boolean encrypt) {
    String cipherName = c.get("cipher").asText();
    String key = c.get("key").asText().toLowerCase();
    byte[] input = hex(c, "input");
    byte[] output = hex(c, "output");
    if (cipherName.startsWith("Rijndael")) {
      assertEquals(V4_KEY, key);
      assertTrue(encrypt, "V4 has no decryption");
      assertArrayEquals(output, V4Hash.encryptBlock(input));
      return;
    }
    boolean v6 = cipherName.startsWith("V6 modified");
    List<KmsCipher> ciphers = new ArrayList<>();
    ciphers.add(v6 ? KmsCipher.v6(Hex.decode(key)) : KmsCipher.aes128(Hex.decode(key)));
    if (v6 && key.equals(V6_KEY)) {
      ciphers.add(KmsCipher.V6);
    }
    if (!v6 && key.equals(V5_KEY)) {
      ciphers.add(KmsCipher.V5);
    }
    for (KmsCipher cipher : ciphers) {
      byte[] out = new byte[16];
      byte[] back = new byte[16];
      if (encrypt) {
        cipher.encryptBlock(input, 0, out, 0);
        cipher.decryptBlock(out, 0, back, 0);
      } else {
        cipher.decryptBlock(input, 0, out, 0);
        cipher.encryptBlock(out, 0, back, 0);
      }
      assertArrayEquals(output, out);
      assertArrayEquals(input, back);
    }
  }

  private static void checkExpandedKey(JsonNode c) {
    String cipherName = c.get("cipher").asText();
    String key = c.get("key").asText().toLowerCase();
    String expected = c.get("output").asText();
    if (cipherName.startsWith("Rijndael-160")) {
      assertEquals(V4_KEY, key);
      assertHex(expected, V4Hash.expandedKey());
    } else if (cipherName.startsWith("V6 modified")) {
      assertHex(expected, KmsCipher.v6(Hex.decode(key)).expandedKey());
      if (key.equals(V6_KEY)) {
        assertHex(expected, KmsCipher.V6.expandedKey());
      }
    } else {
      fail("unknown cipher for expand-key: " + cipherName);
    }
  }

  private static void checkHmacKey(JsonNode c) {
    long filetime = Long.parseUnsignedLong(c.get("filetime").asText());
    long slot = KmsHashes.v6HmacSlot(filetime);
    assertEquals(c.get("slot").asText(), String.format("%016x", slot));
    assertEquals(
        c.get("slotLittleEndian").asText(), String.format("%016x", Long.reverseBytes(slot)));
    assertHex(c.get("output").asText(), KmsHashes.v6HmacKey(filetime));
  }

  private static void checkCbc(JsonNode c) {
    String cipherName = c.get("cipher").asText();
    KmsCipher cipher;
    if (cipherName.equals("V5")) {
      cipher = KmsCipher.V5;
    } else if (cipherName.equals("V6")) {
      cipher = KmsCipher.V6;
    } else {
      throw new AssertionError("unknown cipher for cbc-encrypt: " + cipherName);
    }
    byte[] iv = hex(c, "iv");
    byte[] input = hex(c, "input");
    byte[] buf = new byte[Pkcs7.paddedLength(input.length)];
    System.arraycopy(input, 0, buf, 0, input.length);
    int padded = Pkcs7.pad(buf, 0, input.length);
    assertEquals(buf.length, padded);
    assertHex(c.get("paddedInput").asText(), buf);

    cipher.cbcEncrypt(iv, 0, buf, 0, padded);
    assertHex(c.get("output").asText(), buf);

    cipher.cbcDecrypt(iv, 0, buf, 0, padded);
    assertHex(c.get("paddedInput").asText(), buf);
    assertEquals(input.length, Pkcs7.unpaddedLength(buf, 0, padded));
  }

  private static byte[] hex(JsonNode c, String field) {
    return Hex.decode(c.get(field).asText());
  }

  private static void assertHex(String expected, byte[] actual) {
    assertEquals(expected.toLowerCase(), Hex.toHexString(actual));
  }
}
