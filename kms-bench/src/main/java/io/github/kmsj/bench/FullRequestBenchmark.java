package io.github.kmsj.bench;

import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.transport.ConnectionOptions;
import io.github.kmsj.core.transport.KmsConnection;
import io.github.kmsj.core.transport.PeerInfo;
import io.github.kmsj.protocol.ndr.KmsStubCodec;
import io.github.kmsj.protocol.ndr.StubResponse;
import io.github.kmsj.protocol.ndr.TransferSyntax;
import io.github.kmsj.protocol.rpc.BindPdu;
import io.github.kmsj.protocol.rpc.ClientAssociation;
import io.github.kmsj.protocol.rpc.ClientRpcOptions;
import io.github.kmsj.protocol.rpc.Pdu;
import io.github.kmsj.protocol.rpc.PduCodec;
import io.github.kmsj.protocol.rpc.ResponsePdu;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The whole host hot path, bytes in to bytes out, without sockets: one {@link KmsConnection} bound
 * once, then each operation feeds one request PDU and returns the response PDU's bytes. It includes
 * framing, the stub, decryption, the policy checks, the count update under the host's lock, the
 * production {@code SecureRandom} for R and the response salt, encryption and encoding. The host's
 * clock is pinned.
 */
public class FullRequestBenchmark extends AbstractBenchmark {
  @Param({"V4", "V5", "V6"})
  public String version;

  @Param({"NDR32", "NDR64"})
  public String ndr;

  /** Distinct CMIDs cycled through; the allocation per operation must not depend on it. */
  @Param({"1000"})
  public int clients;

  private byte[][] pdus;
  private int mask;
  private KmsConnection connection;
  private int i;

  @Setup(Level.Trial)
  public void setUp() {
    KmsHost host = Fixtures.host();
    InetAddress lo = InetAddress.getLoopbackAddress();
    connection =
        new KmsConnection(
            ConnectionOptions.DEFAULT,
            host.rpcHandler(),
            new PeerInfo(new InetSocketAddress(lo, 49152), new InetSocketAddress(lo, 1688)),
            0x1234567);
    TransferSyntax syntax = TransferSyntax.valueOf(ndr);
    int contextId = bind(connection).acceptedContexts().get(syntax);
    int size = Fixtures.powerOfTwoAtLeast(clients);
    mask = size - 1;
    byte[][] messages = Fixtures.messages(Fixtures.major(version), size, clients);
    pdus = new byte[size][];
    for (int j = 0; j < size; j++) {
      pdus[j] = Fixtures.requestPdu(syntax, contextId, j + 2, messages[j]);
    }
    // Every fixture must be answered, not refused: a benchmark of the failure path would mislead.
    Pdu answer = PduCodec.decode(connection.receive(pdus[0], 0, pdus[0].length), Fixtures.limits());
    StubResponse stub =
        KmsStubCodec.decodeResponse(syntax, ((ResponsePdu) answer).stub().toArray());
    if (stub.message().isEmpty()) {
      throw new IllegalStateException("the host refused the fixture request: " + stub.hresult());
    }
  }

  /** Binds as a Windows client does (with the alter_context when the host asks for one). */
  static ClientAssociation bind(KmsConnection connection) {
    ClientAssociation client = new ClientAssociation(ClientRpcOptions.WINDOWS);
    byte[] bind = PduCodec.encode(client.bind());
    Optional<BindPdu> alter =
        client.onBindAck(
            PduCodec.decode(connection.receive(bind, 0, bind.length), Fixtures.limits()));
    if (alter.isPresent()) {
      byte[] a = PduCodec.encode(alter.get());
      client.onAlterContextResp(
          PduCodec.decode(connection.receive(a, 0, a.length), Fixtures.limits()), alter.get());
    }
    return client;
  }

  @Benchmark
  public byte[] request() {
    byte[] pdu = pdus[i++ & mask];
    return connection.receive(pdu, 0, pdu.length);
  }

  /** The same operation reported as requests per second on one thread. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public byte[] requestThroughput() {
    byte[] pdu = pdus[i++ & mask];
    return connection.receive(pdu, 0, pdu.length);
  }
}
