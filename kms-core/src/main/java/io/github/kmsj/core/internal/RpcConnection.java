package io.github.kmsj.core.internal;

import io.github.kmsj.core.time.Ticker;
import io.github.kmsj.protocol.DecodeLimits;
import io.github.kmsj.protocol.KmsProtocolException;
import io.github.kmsj.protocol.ndr.StubResponse;
import io.github.kmsj.protocol.rpc.BindPdu;
import io.github.kmsj.protocol.rpc.ClientAssociation;
import io.github.kmsj.protocol.rpc.ClientRpcOptions;
import io.github.kmsj.protocol.rpc.Pdu;
import io.github.kmsj.protocol.rpc.PduCodec;
import io.github.kmsj.protocol.rpc.PduDecoder;
import io.github.kmsj.protocol.rpc.RpcFaultException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * One blocking TCP connection carrying one RPC association (docs/PROTOCOL.md §2): connect, bind,
 * then calls one at a time. Every read is bounded by the deadline of its stage, so a host that
 * trickles bytes cannot stretch a stage beyond its timeout. Used by one thread.
 */
public final class RpcConnection implements AutoCloseable {
  /** Network deadlines are real time. */
  private static final Ticker TICKER = Ticker.system();

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final InetSocketAddress remote;
  private final PduDecoder decoder = new PduDecoder(DecodeLimits.DEFAULT);
  private final ClientAssociation association;
  private final byte[] readBuffer = new byte[4096];
  private int calls;

  private RpcConnection(Socket socket, InetSocketAddress remote, ClientRpcOptions options)
      throws IOException {
    this.socket = socket;
    this.remote = remote;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
    this.association = new ClientAssociation(options);
  }

  /** Opens the TCP connection within {@code timeout}. */
  public static RpcConnection connect(
      InetSocketAddress remote, Duration timeout, ClientRpcOptions options) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(remote, millis(timeout));
      return new RpcConnection(socket, remote, options);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /**
   * Binds, and sends the alter_context a host that accepted only NDR64 needs, within {@code
   * timeout}.
   *
   * @throws KmsProtocolException when the host accepted no KMS context or answered out of protocol
   */
  public void bind(Duration timeout) throws IOException {
    long deadline = TICKER.read() + timeout.toNanos();
    send(association.bind());
    Optional<BindPdu> alter = association.onBindAck(receive(deadline));
    if (alter.isPresent()) {
      send(alter.get());
      association.onAlterContextResp(receive(deadline), alter.get());
    }
  }

  /**
   * Sends one KMS message and returns the decoded response stub, within {@code timeout}.
   *
   * @throws PeerClosedException when the host closed the connection before answering anything
   * @throws RpcFaultException when the host answered with a fault PDU
   * @throws KmsProtocolException when the answer breaks the RPC protocol (call ID, context, stub)
   */
  public StubResponse call(byte[] kmsMessage, Duration timeout) throws IOException {
    long deadline = TICKER.read() + timeout.toNanos();
    calls++;
    send(association.request(kmsMessage));
    return association.onResponse(receive(deadline));
  }

  /** How many calls this connection has carried. */
  public int calls() {
    return calls;
  }

  /** What the bind negotiated: the accepted transfer syntaxes and the BTFN acknowledgement. */
  public ClientAssociation association() {
    return association;
  }

  /** The host's address. */
  public InetSocketAddress remote() {
    return remote;
  }

  private void send(Pdu pdu) throws IOException {
    out.write(PduCodec.encode(pdu));
    out.flush();
  }

  private Pdu receive(long deadline) throws IOException {
    boolean readAny = false;
    while (true) {
      Optional<Pdu> pdu = decoder.next();
      if (pdu.isPresent()) {
        return pdu.get();
      }
      long remaining = deadline - TICKER.read();
      if (remaining <= 0) {
        throw new SocketTimeoutException("no complete PDU within the timeout");
      }
      socket.setSoTimeout(
          (int) Math.max(1, Math.min(Integer.MAX_VALUE, (remaining + 999_999) / 1_000_000)));
      int n = in.read(readBuffer);
      if (n < 0) {
        throw readAny || decoder.buffered() > 0
            ? new EOFException("the host closed the connection in the middle of a PDU")
            : new PeerClosedException();
      }
      readAny = true;
      decoder.feed(readBuffer, 0, n);
    }
  }

  private static int millis(Duration timeout) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing a socket we no longer use has no one to report to; the exchange's outcome is
      // already known.
      return;
    }
  }

  /** The host closed the connection cleanly before sending any byte of the awaited PDU. */
  public static final class PeerClosedException extends EOFException {
    private static final long serialVersionUID = 1L;

    PeerClosedException() {
      super("the host closed the connection");
    }
  }
}
