package io.github.kmsj.core.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.ledger.HostChange;
import io.github.kmsj.core.ledger.HostState;
import io.github.kmsj.core.ledger.LedgerLimits;
import io.github.kmsj.core.store.HostStore;
import io.github.kmsj.core.store.InMemoryHostStore;
import io.github.kmsj.core.store.LoadedState;
import io.github.kmsj.core.store.StoreException;
import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.message.BaseRequest;
import io.github.kmsj.protocol.message.EncodedRequest;
import io.github.kmsj.protocol.message.HResult;
import io.github.kmsj.protocol.message.KmsClientCodec;
import io.github.kmsj.protocol.message.RequestV6;
import io.github.kmsj.protocol.ndr.KmsStubCodec;
import io.github.kmsj.protocol.ndr.StubResponse;
import io.github.kmsj.protocol.ndr.TransferSyntax;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The shared-store seam: a host over a store that {@linkplain HostStore#isShared() is shared}
 * answers with the count the store completes with, only once it completes, and mirrors the changes
 * the store gives it.
 */
final class SharedStoreSeamTest {

  /** A shared store whose futures the test completes by hand. */
  private static final class HandStore implements HostStore {
    final InMemoryHostStore delegate = new InMemoryHostStore();
    final Deque<CompletableFuture<OptionalInt>> pending = new ArrayDeque<>();
    Consumer<HostChange> ledger;
    int plainAppends;

    @Override
    public boolean isShared() {
      return true;
    }

    @Override
    public CompletableFuture<OptionalInt> appendCounted(HostChange.ClientSeen seen) {
      delegate.append(seen);
      CompletableFuture<OptionalInt> f = new CompletableFuture<>();
      pending.add(f);
      return f;
    }

    @Override
    public void follow(Consumer<HostChange> ledger) {
      this.ledger = ledger;
    }

    @Override
    public LoadedState load(LedgerLimits limits) {
      return delegate.load(limits);
    }

    @Override
    public CompletableFuture<Void> append(HostChange change) {
      plainAppends++;
      return delegate.append(change);
    }

    @Override
    public void replace(HostState state) {
      delegate.replace(state);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  private final HandStore store = new HandStore();
  private final KmsHost host = TestCalls.host().store(store).build();

  @Test
  void answer_sharedStore_carriesTheStoresCountOnlyOnceItCompletes() {
    BaseRequest base = TestCalls.base(TestCalls.cmid(1), 25);
    EncodedRequest encoded = KmsClientCodec.encodeRequest(new RequestV6(base, iv()));
    CompletableFuture<byte[]> stub =
        host.rpcHandler().answer(TestCalls.messageCall(encoded.bytes()), TestCalls.PEER);
    assertFalse(stub.isDone(), "answered before the shared store committed");
    store.pending.remove().complete(OptionalInt.of(17));
    assertEquals(17, count(encoded, stub.join()));
    assertEquals(1, host.currentCount(TestCalls.WINDOWS, TestCalls.NOW), "the host's own ledger");
  }

  @Test
  void answer_storeHasNoSharedCount_carriesTheHostsOwnCount() {
    for (int i = 1; i <= 2; i++) {
      EncodedRequest encoded =
          KmsClientCodec.encodeRequest(new RequestV6(TestCalls.base(TestCalls.cmid(i), 25), iv()));
      CompletableFuture<byte[]> stub =
          host.rpcHandler().answer(TestCalls.messageCall(encoded.bytes()), TestCalls.PEER);
      store.pending.remove().complete(OptionalInt.empty());
      assertEquals(i, count(encoded, stub.join()));
    }
  }

  @Test
  void submit_sharedStore_completesWithTheStoresCount() {
    var decoded =
        io.github.kmsj.protocol.message.KmsHostCodec.decodeRequest(
            KmsClientCodec.encodeRequest(new RequestV6(TestCalls.base(TestCalls.cmid(3), 25), iv()))
                .bytes());
    CompletableFuture<HostResponse> answer = host.submit(decoded, TestCalls.NOW, Optional.empty());
    assertFalse(answer.isDone());
    store.pending.remove().complete(OptionalInt.of(40));
    HostResponse.Answered a = (HostResponse.Answered) answer.join();
    assertEquals(40, a.base().currentClientCount());
  }

  @Test
  void answer_sharedStoreFails_isTheFailureStub() {
    EncodedRequest encoded =
        KmsClientCodec.encodeRequest(new RequestV6(TestCalls.base(TestCalls.cmid(4), 25), iv()));
    CompletableFuture<byte[]> stub =
        host.rpcHandler().answer(TestCalls.messageCall(encoded.bytes()), TestCalls.PEER);
    store.pending.remove().completeExceptionally(new StoreException("database gone"));
    assertEquals(HResult.IO_DEVICE, TestCalls.hresult(stub.join()));
  }

  @Test
  void follow_otherHostsChange_isInTheHostsLedgerButNotAppended() {
    BaseRequest other = TestCalls.base(TestCalls.cmid(9), 25);
    store.ledger.accept(
        new HostChange.ClientSeen(
            TestCalls.NOW,
            other.applicationId(),
            other.cmid(),
            25,
            other.workstationName(),
            other.skuId(),
            other.kmsCountedId(),
            other.licenseStatus(),
            Optional.empty()));
    assertEquals(1, host.currentCount(TestCalls.WINDOWS, TestCalls.NOW));
    assertTrue(
        host.state(TestCalls.NOW).ledger().client(TestCalls.WINDOWS, other.cmid()).isPresent());
    assertEquals(1, store.plainAppends, "only the identity was appended");
  }

  private static Bytes iv() {
    return Bytes.fromHex("00112233445566778899aabbccddeeff");
  }

  private static int count(EncodedRequest sent, byte[] stub) {
    StubResponse r = KmsStubCodec.decodeResponse(TransferSyntax.NDR32, stub);
    assertEquals(HResult.S_OK, r.hresult());
    return KmsClientCodec.decodeResponse(sent, r.message().orElseThrow().toArray())
        .response()
        .base()
        .currentClientCount();
  }
}
