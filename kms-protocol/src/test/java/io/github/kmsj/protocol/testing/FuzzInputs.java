package io.github.kmsj.protocol.testing;

import io.github.kmsj.protocol.DecodeLimits;
import io.github.kmsj.protocol.message.EncodedRequest;
import io.github.kmsj.protocol.message.KmsClientCodec;
import io.github.kmsj.protocol.message.KmsHostCodec;
import io.github.kmsj.protocol.message.KmsRequest;
import io.github.kmsj.protocol.message.UnsupportedRequest;
import io.github.kmsj.protocol.ndr.KmsStubCodec;
import io.github.kmsj.protocol.ndr.TransferSyntax;
import io.github.kmsj.protocol.rpc.PduCodec;
import io.github.kmsj.protocol.rpc.PduType;
import io.github.kmsj.protocol.rpc.RequestPdu;
import io.github.kmsj.protocol.rpc.ResponsePdu;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/**
 * What the fuzz targets are built from: the recorded streams, binds and KMS calls of the golden
 * vectors, in a fixed order, and the writer of a target's seed corpus (docs/FUZZING.md).
 */
public final class FuzzInputs {
  private static volatile List<Call> calls;

  private FuzzInputs() {}

  /**
   * One recorded KMS call whose request the client codec can re-encode exactly.
   *
   * @param syntax the transfer syntax of the call
   * @param sent the request as the client encoded it (salt and time as recorded)
   * @param requestMessage the KMS request message (inside the request stub)
   * @param responseStub the response stub the host sent
   */
  public record Call(
      String vector,
      TransferSyntax syntax,
      EncodedRequest sent,
      byte[] requestMessage,
      byte[] responseStub) {}

  /** Every recorded client-to-server and server-to-client stream, one per connection and side. */
  public static List<byte[]> streams() {
    List<byte[]> out = new ArrayList<>();
    for (GoldenVector v : GoldenVectors.all()) {
      for (int conn : v.connections()) {
        for (boolean c2s : new boolean[] {true, false}) {
          ByteArrayOutputStream s = new ByteArrayOutputStream();
          for (GoldenVector.Exchange e : v.exchange()) {
            if (e.conn() == conn && e.clientToServer() == c2s) {
              s.writeBytes(e.bytes());
            }
          }
          if (s.size() > 0) {
            out.add(s.toByteArray());
          }
        }
      }
    }
    return out;
  }

  /**
   * The client's PDUs of each recorded connection that opens with a bind, as [bind, rest]: the bind
   * PDU and the stream of everything the client sent after it.
   */
  public static List<byte[][]> boundConnections() {
    List<byte[][]> out = new ArrayList<>();
    for (GoldenVector v : GoldenVectors.all()) {
      for (int conn : v.connections()) {
        List<byte[]> client = new ArrayList<>();
        for (GoldenVector.Exchange e : v.exchange()) {
          if (e.conn() == conn && e.clientToServer()) {
            client.add(e.bytes());
          }
        }
        if (client.isEmpty()
            || !PduType.BIND.equals(PduCodec.decode(client.get(0), DecodeLimits.DEFAULT).type())) {
          continue;
        }
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        client.subList(1, client.size()).forEach(rest::writeBytes);
        out.add(new byte[][] {client.get(0), rest.toByteArray()});
      }
    }
    return out;
  }

  /** Every recorded call with a request and a response whose request decodes and re-encodes. */
  public static List<Call> calls() {
    List<Call> c = calls;
    if (c == null) {
      c = loadCalls();
      calls = c;
    }
    return c;
  }

  private static List<Call> loadCalls() {
    List<Call> out = new ArrayList<>();
    for (GoldenVector v : GoldenVectors.all()) {
      for (GoldenVector.Call c : v.expect().calls()) {
        if (c.requestPdu() == null || c.responsePdu() == null) {
          continue;
        }
        TransferSyntax syntax = TransferSyntax.valueOf(c.transferSyntax());
        byte[] requestStub =
            ((RequestPdu) PduCodec.decode(v.pdu(c.requestPdu()), DecodeLimits.DEFAULT))
                .stub()
                .toArray();
        byte[] responseStub =
            ((ResponsePdu) PduCodec.decode(v.pdu(c.responsePdu()), DecodeLimits.DEFAULT))
                .stub()
                .toArray();
        byte[] message = KmsStubCodec.decodeRequest(syntax, requestStub, 4096);
        KmsRequest request = KmsHostCodec.decodeRequest(message).request();
        if (request instanceof UnsupportedRequest) {
          continue;
        }
        out.add(
            new Call(
                v.name(), syntax, KmsClientCodec.encodeRequest(request), message, responseStub));
      }
    }
    return List.copyOf(out);
  }

  /** {@code first} followed by {@code rest}. */
  public static byte[] prefixed(byte[] first, byte[] rest) {
    byte[] out = new byte[first.length + rest.length];
    System.arraycopy(first, 0, out, 0, first.length);
    System.arraycopy(rest, 0, out, first.length, rest.length);
    return out;
  }

  /**
   * Writes {@code seeds} as {@code seed-<sha-1>} files into Jazzer's inputs directory of one fuzz
   * test, {@code <testResources>/<package path>/<Class>Inputs/<method>/} for the class's fully
   * qualified name, and returns how many new seeds it wrote.
   */
  public static int writeSeeds(
      Path testResources, String testClass, String method, Collection<byte[]> seeds) {
    Path dir = testResources.resolve(testClass.replace('.', '/') + "Inputs").resolve(method);
    try {
      Files.createDirectories(dir);
      int n = 0;
      for (byte[] seed : seeds) {
        Path file = dir.resolve("seed-" + sha1(seed));
        if (!Files.exists(file)) {
          Files.write(file, seed);
          n++;
        }
      }
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes one seed under a name of its own, for an input that a test refers to (a known bug's
   * reproducer), into the same directory as {@link #writeSeeds}.
   */
  public static void writeNamedSeed(
      Path testResources, String testClass, String method, String name, byte[] seed) {
    Path dir = testResources.resolve(testClass.replace('.', '/') + "Inputs").resolve(method);
    try {
      Files.createDirectories(dir);
      Files.write(dir.resolve(name), seed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
