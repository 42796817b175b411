package io.github.kmsj.core.transport;

import io.github.kmsj.protocol.DecodeLimits;
import io.github.kmsj.protocol.message.EncodedRequest;
import io.github.kmsj.protocol.message.KmsClientCodec;
import io.github.kmsj.protocol.message.KmsRequest;
import io.github.kmsj.protocol.message.VerifiedResponse;
import io.github.kmsj.protocol.ndr.StubResponse;
import io.github.kmsj.protocol.rpc.BindPdu;
import io.github.kmsj.protocol.rpc.ClientAssociation;
import io.github.kmsj.protocol.rpc.ClientRpcOptions;
import io.github.kmsj.protocol.rpc.Pdu;
import io.github.kmsj.protocol.rpc.PduCodec;
import io.github.kmsj.protocol.rpc.PduDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;

/** A minimal blocking KMS client over a socket for transport tests; bounded by a socket timeout. */
final class RawKmsClient implements AutoCloseable {
  final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final PduDecoder decoder = new PduDecoder(DecodeLimits.DEFAULT);
  private final ClientAssociation association;
  private int chunk = Integer.MAX_VALUE;

  RawKmsClient(InetSocketAddress address, ClientRpcOptions options) throws IOException {
    this(address, options, null);
  }

  /** A client whose socket is bound to {@code source} (any loopback address), or any when null. */
  RawKmsClient(InetSocketAddress address, ClientRpcOptions options, InetAddress source)
      throws IOException {
    socket = new Socket();
    if (source != null) {
      socket.bind(new InetSocketAddress(source, 0));
    }
    socket.setSoTimeout(5000);
    socket.connect(address, 5000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
    association = new ClientAssociation(options);
  }

  /** Writes every PDU in chunks of this many bytes, flushing each. */
  RawKmsClient chunked(int bytes) {
    this.chunk = bytes;
    return this;
  }

  void bind() throws IOException {
    send(association.bind());
    Optional<BindPdu> alter = association.onBindAck(receive());
    if (alter.isPresent()) {
      send(alter.get());
      association.onAlterContextResp(receive(), alter.get());
    }
  }

  StubResponse call(byte[] kmsMessage) throws IOException {
    send(association.request(kmsMessage));
    return association.onResponse(receive());
  }

  VerifiedResponse activate(KmsRequest request) throws IOException {
    EncodedRequest encoded = KmsClientCodec.encodeRequest(request);
    StubResponse stub = call(encoded.bytes());
    if (stub.message().isEmpty()) {
      throw new IllegalStateException("refused: " + stub.hresult());
    }
    return KmsClientCodec.decodeResponse(encoded, stub.message().get().toArray());
  }

  /** The encoded request PDU of {@code kmsMessage} on this (bound) association, not sent. */
  byte[] requestBytes(byte[] kmsMessage) {
    return PduCodec.encode(association.request(kmsMessage));
  }

  void send(Pdu pdu) throws IOException {
    writeRaw(PduCodec.encode(pdu));
  }

  void writeRaw(byte[] bytes) throws IOException {
    for (int i = 0; i < bytes.length; i += chunk) {
      out.write(bytes, i, Math.min(chunk, bytes.length - i));
      out.flush();
    }
  }

  Pdu receive() throws IOException {
    byte[] buf = new byte[4096];
    while (true) {
      Optional<Pdu> pdu = decoder.next();
      if (pdu.isPresent()) {
        return pdu.get();
      }
      int n = in.read(buf);
      if (n < 0) {
        throw new IOException("connection closed by the host");
      }
      decoder.feed(buf, 0, n);
    }
  }

  /** Whether the host closed the connection (reads EOF within the socket timeout). */
  boolean isClosedByPeer() throws IOException {
    try {
      return in.read() < 0;
    } catch (java.net.SocketException e) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
