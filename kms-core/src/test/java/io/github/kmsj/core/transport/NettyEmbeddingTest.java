package io.github.kmsj.core.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.store.FileHostStore;
import io.github.kmsj.core.store.TestChannels;
import io.github.kmsj.protocol.DecodeLimits;
import io.github.kmsj.protocol.message.EncodedRequest;
import io.github.kmsj.protocol.message.KmsClientCodec;
import io.github.kmsj.protocol.message.VerifiedResponse;
import io.github.kmsj.protocol.ndr.StubResponse;
import io.github.kmsj.protocol.rpc.ClientAssociation;
import io.github.kmsj.protocol.rpc.ClientRpcOptions;
import io.github.kmsj.protocol.rpc.Pdu;
import io.github.kmsj.protocol.rpc.PduCodec;
import io.github.kmsj.protocol.rpc.PduDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Embedding proof: a Netty handler drives {@link KmsConnection} as an embedder would, in an {@link
 * EmbeddedChannel} on the test thread, in front of a real {@link FileHostStore} whose {@code
 * fsync}s wait at a gate. The answer leaves only after the force that covers it, the channel stops
 * reading meanwhile, and the event loop (the test thread) never waits for the store.
 */
final class NettyEmbeddingTest {

  /**
   * How an embedder wires KmsConnection into Netty: bytes in, bytes out; while an answer is awaited
   * auto-read is off, and the completion resumes the connection on the channel's event loop.
   */
  static final class KmsChannelHandler extends ChannelInboundHandlerAdapter {
    private final KmsConnection connection;

    /** Test hook: released each time a completion has been handed to the event loop. */
    final Semaphore handedToLoop = new Semaphore(0);

    KmsChannelHandler(KmsConnection connection) {
      this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      try {
        byte[] out = connection.receive(in.nioBuffer());
        send(ctx, out);
      } finally {
        in.release();
      }
    }

    private void send(ChannelHandlerContext ctx, byte[] out) {
      if (out.length > 0) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(out));
      }
      if (connection.isClosing()) {
        ctx.close();
      } else if (connection.isAwaiting()) {
        ctx.channel().config().setAutoRead(false);
        connection
            .awaited()
            .whenComplete(
                (v, e) -> {
                  ctx.executor().execute(() -> resume(ctx));
                  handedToLoop.release();
                });
      } else {
        ctx.channel().config().setAutoRead(true);
      }
    }

    private void resume(ChannelHandlerContext ctx) {
      send(ctx, connection.resume());
    }
  }

  @TempDir Path dir;

  private KmsHost host;

  @AfterEach
  void close() {
    if (host != null) {
      host.close();
    }
  }

  @Test
  void pipelinedRequests_eachAnswerLeavesOnlyAfterItsForce_noThreadBlocks() throws Exception {
    TestChannels disk = new TestChannels();
    host =
        KmsHost.builder()
            .store(FileHostStore.builder().directory(dir).channels(disk).build())
            .build();
    disk.closeGate();
    PeerInfo peer =
        new PeerInfo(
            new InetSocketAddress("192.0.2.10", 50000), new InetSocketAddress("192.0.2.1", 1688));
    KmsConnection connection =
        new KmsConnection(ConnectionOptions.DEFAULT, host.rpcHandler(), peer, 7);
    KmsChannelHandler handler = new KmsChannelHandler(connection);
    EmbeddedChannel channel = new EmbeddedChannel(handler);

    // Two client-side views of one association, so two calls can be outstanding at once.
    ClientRpcOptions options = new ClientRpcOptions(false, true, true);
    ClientAssociation client = new ClientAssociation(options);
    ClientAssociation client2 = new ClientAssociation(options);
    channel.writeInbound(Unpooled.wrappedBuffer(PduCodec.encode(client.bind())));
    client2.bind();
    Pdu bindAck = single(channel);
    assertTrue(client.onBindAck(bindAck).isEmpty());
    assertTrue(client2.onBindAck(bindAck).isEmpty());

    // Two requests in one read: the second must wait for the first's answer.
    EncodedRequest first =
        KmsClientCodec.encodeRequest(
            TestRequests.windows10(6, TestRequests.cmid(1), Instant.now()));
    EncodedRequest second =
        KmsClientCodec.encodeRequest(
            TestRequests.windows10(6, TestRequests.cmid(2), Instant.now()));
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    both.writeBytes(PduCodec.encode(client.request(first.bytes())));
    both.writeBytes(PduCodec.encode(client2.request(second.bytes())));
    channel.writeInbound(Unpooled.wrappedBuffer(both.toByteArray()));

    assertNull(channel.readOutbound(), "nothing leaves before the force");
    assertTrue(connection.isAwaiting());
    assertFalse(channel.config().isAutoRead(), "reading stops while the answer is awaited");
    awaitAtGate(disk); // channelRead returned while the store's force is still held

    disk.release(1); // the first force completes
    assertTrue(handler.handedToLoop.tryAcquire(30, TimeUnit.SECONDS));
    channel.runPendingTasks();
    VerifiedResponse r1 = KmsClientCodec.decodeResponse(first, message(client, single(channel)));
    assertEquals(1, r1.response().base().currentClientCount());
    assertTrue(connection.isAwaiting(), "the second request now waits for its own force");
    assertNull(channel.readOutbound());

    awaitAtGate(disk);
    disk.release(1);
    assertTrue(handler.handedToLoop.tryAcquire(30, TimeUnit.SECONDS));
    channel.runPendingTasks();
    VerifiedResponse r2 = KmsClientCodec.decodeResponse(second, message(client2, single(channel)));
    assertEquals(2, r2.response().base().currentClientCount());
    assertFalse(connection.isAwaiting());
    assertTrue(channel.config().isAutoRead(), "reading resumes");
    disk.openGate();
    assertFalse(channel.finish(), "nothing else was written");
  }

  private static void awaitAtGate(TestChannels disk) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (disk.waitingAtGate() == 0) {
      assertTrue(System.nanoTime() < deadline, "the store never reached its force");
      Thread.onSpinWait();
    }
  }

  private static byte[] message(ClientAssociation client, Pdu response) {
    StubResponse stub = client.onResponse(response);
    assertTrue(stub.message().isPresent(), "answered: " + stub.hresult());
    return stub.message().get().toArray();
  }

  private static Pdu single(EmbeddedChannel channel) {
    ByteBuf out = channel.readOutbound();
    assertInstanceOf(ByteBuf.class, out, "one write");
    PduDecoder decoder = new PduDecoder(DecodeLimits.DEFAULT);
    byte[] bytes = new byte[out.readableBytes()];
    out.readBytes(bytes);
    out.release();
    decoder.feed(bytes, 0, bytes.length);
    List<Pdu> pdus = new ArrayList<>();
    for (Optional<Pdu> p = decoder.next(); p.isPresent(); p = decoder.next()) {
      pdus.add(p.get());
    }
    assertEquals(1, pdus.size());
    return pdus.get(0);
  }
}
