package io.github.kmsj.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.kmsj.protocol.crypto.KmsCipher;
import io.github.kmsj.protocol.message.BaseRequest;
import io.github.kmsj.protocol.message.BaseResponse;
import io.github.kmsj.protocol.message.DecodedRequest;
import io.github.kmsj.protocol.message.EncodedRequest;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.HResult;
import io.github.kmsj.protocol.message.KmsClientCodec;
import io.github.kmsj.protocol.message.KmsHostCodec;
import io.github.kmsj.protocol.message.KmsResponse;
import io.github.kmsj.protocol.message.ProtocolVersion;
import io.github.kmsj.protocol.message.RequestV4;
import io.github.kmsj.protocol.message.RequestV5;
import io.github.kmsj.protocol.message.ResponseRandom;
import io.github.kmsj.protocol.message.ResponseV4;
import io.github.kmsj.protocol.message.ResponseV5;
import io.github.kmsj.protocol.message.ResponseV6;
import io.github.kmsj.protocol.message.UnsupportedRequest;
import io.github.kmsj.protocol.message.VerifiedResponse;
import io.github.kmsj.protocol.ndr.KmsStubCodec;
import io.github.kmsj.protocol.ndr.StubResponse;
import io.github.kmsj.protocol.ndr.TransferSyntax;
import io.github.kmsj.protocol.rpc.BindAckPdu;
import io.github.kmsj.protocol.rpc.BindNegotiation;
import io.github.kmsj.protocol.rpc.BindPdu;
import io.github.kmsj.protocol.rpc.ContextResult;
import io.github.kmsj.protocol.rpc.FaultPdu;
import io.github.kmsj.protocol.rpc.HostAssociation;
import io.github.kmsj.protocol.rpc.KmsCall;
import io.github.kmsj.protocol.rpc.NcaStatus;
import io.github.kmsj.protocol.rpc.Pdu;
import io.github.kmsj.protocol.rpc.PduCodec;
import io.github.kmsj.protocol.rpc.PduDecoder;
import io.github.kmsj.protocol.rpc.PduType;
import io.github.kmsj.protocol.rpc.PfcFlags;
import io.github.kmsj.protocol.rpc.PresentationContext;
import io.github.kmsj.protocol.rpc.RequestPdu;
import io.github.kmsj.protocol.rpc.ResponsePdu;
import io.github.kmsj.protocol.rpc.RpcFeatures;
import io.github.kmsj.protocol.rpc.SyntaxId;
import io.github.kmsj.protocol.testing.GoldenVector;
import io.github.kmsj.protocol.testing.GoldenVector.BindAnswer;
import io.github.kmsj.protocol.testing.GoldenVector.Call;
import io.github.kmsj.protocol.testing.GoldenVector.Exchange;
import io.github.kmsj.protocol.testing.GoldenVectors;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every recorded exchange of {@code vectors/} (vectors/README.md) through the whole codec:
 * PDUs, stream framing, bind negotiation, the host association, faults, NDR stubs and the KMS
 * messages, reproducing the recorded bytes wherever the peers' randomness can be recovered.
 *
 * <p>Where a recorded peer deviates on purpose from kmsj's rules, the test asserts kmsj's answer
 * and the recorded difference explicitly (see {@link #pyKmsAcceptsUnknownInterface}, {@link
 * #quirkOffsets}, and the fault and opnum cases in {@link #checkHostReplay}).
 */
final class GoldenVectorTest {
  /**
   * Sizes of the recorded set (vectors/README.md "Verification status"); a shrinking set must fail.
   */
  static final int FILES = 40;

  static final int PDUS = 201;
  static final int BIND_ANSWERS = 53;
  static final int BIND_RESULTS = 106;
  static final int CALLS = 46;
  static final int V4_RESPONSES = 11;
  static final int V5_RESPONSES = 7;
  static final int V6_RESPONSES = 22;
  static final int FAILURE_STUBS = 5;
  static final int UNSUPPORTED_REQUESTS = 4;
  static final int FAULTS = 2;

  /**
   * 13 vlmcsd alter_context_resp with {@code 31 31} pad leftovers, 1 vlmcsd fault with a leftover
   * reserved byte.
   */
  static final int QUIRK_PDUS = 14;

  private static final int MAX_KMS_MESSAGE = 4096;

  static Stream<Arguments> vectors() {
    return GoldenVectors.all().stream().map(v -> Arguments.of(Named.of(v.name(), v)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void vector_everyPdu_decodesAndReencodes(GoldenVector v) {
    checkPdus(v, new Tally());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void vector_connectionStreamInChunks_givesTheSamePdus(GoldenVector v) {
    checkStreams(v, new Tally());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void vector_bindNegotiation_matchesRecordedResults(GoldenVector v) {
    checkBinds(v, new Tally());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void vector_faults_matchExpect(GoldenVector v) {
    checkFaults(v, new Tally());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void vector_calls_decodeVerifyAndReproduceBytes(GoldenVector v) {
    checkCalls(v, new Tally());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void vector_clientSideThroughHostAssociation_answersLikeRecordedHost(GoldenVector v) {
    checkHostReplay(v, new Tally());
  }

  @Test
  void allVectors_everyCheck_coversTheWholeRecordedSet() {
    Tally t = new Tally();
    for (GoldenVector v : GoldenVectors.all()) {
      t.files++;
      checkPdus(v, t);
      checkStreams(v, t);
      checkBinds(v, t);
      checkFaults(v, t);
      checkCalls(v, t);
      checkHostReplay(v, t);
    }
    assertEquals(FILES, t.files, "vector files");
    assertEquals(PDUS, t.pdus, "PDUs decoded");
    assertEquals(PDUS, t.pdusReencodedExactly + t.pdusReencodedWithQuirk, "PDUs re-encoded");
    assertEquals(
        QUIRK_PDUS,
        t.pdusReencodedWithQuirk,
        "PDUs that differ only in bytes a peer leaves uninitialised");
    assertEquals(PDUS * 3, t.streamPdus, "PDUs framed by PduDecoder in 1-, 3- and 100-byte chunks");
    assertEquals(BIND_ANSWERS, t.bindAnswers, "bind_ack/alter_context_resp");
    assertEquals(BIND_RESULTS, t.bindResults, "context results negotiated");
    assertEquals(
        1,
        t.bindDeviations,
        "documented negotiation deviations (py-kms accepts a foreign interface)");
    assertEquals(FAULTS, t.faults, "faults");
    assertEquals(CALLS, t.calls, "KMS calls");
    assertEquals(
        CALLS - UNSUPPORTED_REQUESTS, t.requestsDecoded, "KMS requests decoded and re-encoded");
    assertEquals(UNSUPPORTED_REQUESTS, t.unsupported, "unsupported-version requests");
    assertEquals(V4_RESPONSES, t.v4, "V4 responses verified and rebuilt");
    assertEquals(V5_RESPONSES, t.v5, "V5 responses verified and rebuilt");
    assertEquals(V6_RESPONSES, t.v6, "V6 responses verified and rebuilt");
    assertEquals(FAILURE_STUBS, t.failureStubs, "failure stubs");
    assertEquals(
        4,
        t.trailingStubBytes,
        "py-kms V4 request stubs with 4 trailing bytes (pykms/v4-*, cross/pykms-to-vlmcsd-v4)");
    assertEquals(
        PDUS,
        t.replayed,
        "PDUs replayed through HostAssociation (client side) or compared (host side)");
    assertTrue(t.fields > 1000, "logged field values matched: " + t.fields);
  }

  /**
   * Counters, so that a silently shrinking or skipped set fails {@link
   * #allVectors_everyCheck_coversTheWholeRecordedSet}.
   */
  static final class Tally {
    int files;
    int pdus;
    int pdusReencodedExactly;
    int pdusReencodedWithQuirk;
    int streamPdus;
    int bindAnswers;
    int bindResults;
    int bindDeviations;
    int faults;
    int calls;
    int requestsDecoded;
    int unsupported;
    int v4;
    int v5;
    int v6;
    int failureStubs;
    int trailingStubBytes;
    int replayed;
    int fields;
  }

  // ---------------------------------------------------------------- PDUs

  static void checkPdus(GoldenVector v, Tally t) {
    for (int i = 0; i < v.exchange().size(); i++) {
      byte[] bytes = v.pdu(i);
      Pdu pdu = PduCodec.decode(bytes, DecodeLimits.DEFAULT);
      t.pdus++;
      byte[] again = PduCodec.encode(pdu);
      if (Arrays.equals(bytes, again)) {
        t.pdusReencodedExactly++;
        continue;
      }
      // A peer quirk: the bytes differ, so compare field-wise and check that only ignorable bytes
      // differ.
      assertEquals(pdu, PduCodec.decode(again, DecodeLimits.DEFAULT), v + " PDU #" + i + " fields");
      assertEquals(bytes.length, again.length, v + " PDU #" + i + " length");
      Set<Integer> differing = new TreeSet<>();
      for (int k = 0; k < bytes.length; k++) {
        if (bytes[k] != again[k]) {
          differing.add(k);
        }
      }
      Set<Integer> allowed = quirkOffsets(v, v.exchange().get(i), pdu);
      assertTrue(
          allowed.containsAll(differing),
          v
              + " PDU #"
              + i
              + " differs at "
              + differing
              + ", only "
              + allowed
              + " are known peer quirks");
      t.pdusReencodedWithQuirk++;
    }
  }

  /**
   * Bytes a recorded peer leaves uninitialised, which kmsj writes as zero (docs/PROTOCOL.md §3.4,
   * §3.8, §11): vlmcsd's bind_ack/alter_context_resp pad after the secondary address ({@code 31 31}
   * leftovers in every alter_context_resp) and the reserved byte 23 of its faults. py-kms writes
   * zeros there, so no py-kms PDU may differ at all.
   */
  static Set<Integer> quirkOffsets(GoldenVector v, Exchange e, Pdu pdu) {
    Set<Integer> allowed = new TreeSet<>();
    if (e.clientToServer() || v.serverIsPyKms()) {
      return allowed;
    }
    if (pdu instanceof BindAckPdu ack) {
      int secLength = ack.secondaryAddress().isEmpty() ? 0 : ack.secondaryAddress().length() + 1;
      int padStart = 26 + secLength;
      for (int k = padStart; k < ((padStart + 3) & ~3); k++) {
        allowed.add(k);
      }
    } else if (pdu instanceof FaultPdu) {
      allowed.add(23);
    }
    return allowed;
  }

  static void checkStreams(GoldenVector v, Tally t) {
    for (int conn : v.connections()) {
      for (boolean c2s : new boolean[] {true, false}) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<Pdu> expected = new ArrayList<>();
        for (Exchange e : v.exchange()) {
          if (e.conn() == conn && e.clientToServer() == c2s) {
            stream.writeBytes(e.bytes());
            expected.add(PduCodec.decode(e.bytes(), DecodeLimits.DEFAULT));
          }
        }
        byte[] all = stream.toByteArray();
        for (int chunk : new int[] {1, 3, 100}) {
          List<Pdu> got = feedInChunks(all, chunk);
          assertEquals(
              expected,
              got,
              v + " conn " + conn + (c2s ? " c2s" : " s2c") + " in " + chunk + "-byte chunks");
          t.streamPdus += got.size();
        }
      }
    }
  }

  static List<Pdu> feedInChunks(byte[] stream, int chunk) {
    PduDecoder decoder = new PduDecoder(DecodeLimits.DEFAULT);
    List<Pdu> got = new ArrayList<>();
    for (int off = 0; off < stream.length; off += chunk) {
      decoder.feed(stream, off, Math.min(chunk, stream.length - off));
      for (Optional<Pdu> p = decoder.next(); p.isPresent(); p = decoder.next()) {
        got.add(p.get());
      }
    }
    assertEquals(0, decoder.buffered(), "bytes left over");
    return got;
  }

  // ---------------------------------------------------------------- binds

  static RpcFeatures features(GoldenVector v) {
    boolean[] f = v.serverFeatureFlags();
    return new RpcFeatures(f[0], f[1]);
  }

  /**
   * The bind or alter_context a recorded answer answers: the last client PDU before it on its
   * connection.
   */
  static BindPdu offeredBefore(GoldenVector v, int answerIndex) {
    int conn = v.exchange().get(answerIndex).conn();
    for (int i = answerIndex - 1; i >= 0; i--) {
      Exchange e = v.exchange().get(i);
      if (e.conn() == conn && e.clientToServer()) {
        return assertInstanceOf(
            BindPdu.class,
            PduCodec.decode(e.bytes(), DecodeLimits.DEFAULT),
            v + " PDU #" + i + " should be the bind answered by #" + answerIndex);
      }
    }
    return fail(v + ": no bind before PDU #" + answerIndex);
  }

  static SyntaxId syntaxOf(String name, int version) {
    if ("null".equals(name)) {
      assertEquals(0, version, "the zero syntax has version 0");
      return SyntaxId.NULL;
    }
    TransferSyntax s = TransferSyntax.valueOf(name);
    assertEquals(s.version(), version, name + " version");
    return new SyntaxId(s.uuid(), version);
  }

  /**
   * py-kms accepts a context for any interface (docs/PROTOCOL.md §3.8, §11, vector {@code
   * probes/pykms-unknown-interface}); kmsj, like vlmcsd and genuine hosts, rejects it with (2,
   * abstract_syntax_not_supported).
   */
  static boolean pyKmsAcceptsUnknownInterface(GoldenVector v, PresentationContext offered) {
    return v.serverIsPyKms()
        && !offered.abstractSyntax().uuid().equals(SyntaxId.KMS_INTERFACE.uuid());
  }

  static void checkBinds(GoldenVector v, Tally t) {
    int answersInExchange = 0;
    for (Exchange e : v.exchange()) {
      if (!e.clientToServer()
          && PduCodec.decode(e.bytes(), DecodeLimits.DEFAULT) instanceof BindAckPdu) {
        answersInExchange++;
      }
    }
    assertEquals(
        answersInExchange,
        v.expect().rpc().binds().size(),
        v + ": every bind answer is in expect.rpc.binds");
    RpcFeatures features = features(v);
    for (BindAnswer b : v.expect().rpc().binds()) {
      t.bindAnswers++;
      BindAckPdu ack =
          assertInstanceOf(BindAckPdu.class, PduCodec.decode(v.pdu(b.pdu()), DecodeLimits.DEFAULT));
      assertEquals(b.ptype(), ack.type().displayName(), v + " #" + b.pdu());
      assertEquals(
          b.assocGroupId(), Integer.toUnsignedLong(ack.assocGroupId()), v + " assoc_group_id");
      assertEquals(b.secondaryAddress(), ack.secondaryAddress(), v + " secondary address");
      BindPdu bind = offeredBefore(v, b.pdu());
      assertEquals(
          ack.type().equals(PduType.ALTER_CONTEXT_RESP), bind.isAlterContext(), v + " answer type");
      assertEquals(b.results().size(), ack.results().size(), v + " n_results");
      assertEquals(
          bind.contexts().size(), ack.results().size(), v + " one result per offered context");
      List<ContextResult> ours = BindNegotiation.negotiate(bind.contexts(), features);
      for (int i = 0; i < b.results().size(); i++) {
        GoldenVector.Result r = b.results().get(i);
        ContextResult recorded =
            new ContextResult(r.result(), r.reason(), syntaxOf(r.transferSyntax(), r.version()));
        assertEquals(
            recorded, ack.results().get(i), v + " #" + b.pdu() + " result " + i + " decoded");
        assertEquals(r.contextId(), bind.contexts().get(i).contextId(), v + " context id " + i);
        if (pyKmsAcceptsUnknownInterface(v, bind.contexts().get(i))) {
          assertEquals(
              ContextResult.ACCEPTANCE,
              recorded.result(),
              v + ": py-kms accepted the foreign interface");
          assertEquals(
              ContextResult.reject(ContextResult.ABSTRACT_SYNTAX_NOT_SUPPORTED),
              ours.get(i),
              v + ": kmsj rejects a foreign interface (2,1) where py-kms accepts it");
          t.bindDeviations++;
        } else {
          assertEquals(
              recorded,
              ours.get(i),
              v + " #" + b.pdu() + " result " + i + " by docs/PROTOCOL.md §3.6 with " + features);
        }
        t.bindResults++;
      }
    }
  }

  // ---------------------------------------------------------------- faults

  static void checkFaults(GoldenVector v, Tally t) {
    int inExchange = 0;
    for (Exchange e : v.exchange()) {
      if (PduCodec.decode(e.bytes(), DecodeLimits.DEFAULT) instanceof FaultPdu) {
        inExchange++;
      }
    }
    assertEquals(
        inExchange, v.expect().rpc().faults().size(), v + ": every fault is in expect.rpc.faults");
    for (GoldenVector.Fault f : v.expect().rpc().faults()) {
      FaultPdu fault =
          assertInstanceOf(FaultPdu.class, PduCodec.decode(v.pdu(f.pdu()), DecodeLimits.DEFAULT));
      assertEquals(
          NcaStatus.of(Integer.parseUnsignedInt(f.status().substring(2), 16)),
          fault.status(),
          v + " status");
      assertEquals(f.callId(), fault.callId(), v + " fault call_id");
      assertEquals(
          Integer.parseInt(f.flags().substring(2), 16), fault.header().flags(), v + " fault flags");
      // vlmcsd quirk (docs/PROTOCOL.md §3.8): alloc_hint 32 instead of the stub length 0.
      assertEquals(32, fault.allocHint(), v + ": vlmcsd sends alloc_hint 32 in faults");
      t.faults++;
    }
  }

  // ---------------------------------------------------------------- KMS calls

  /**
   * Context id → transfer syntax accepted on {@code conn} before PDU {@code before}, from the
   * recorded answers.
   */
  static Map<Integer, TransferSyntax> acceptedContexts(GoldenVector v, int conn, int before) {
    Map<Integer, TransferSyntax> accepted = new HashMap<>();
    for (BindAnswer b : v.expect().rpc().binds()) {
      if (b.pdu() < before && v.exchange().get(b.pdu()).conn() == conn) {
        for (GoldenVector.Result r : b.results()) {
          if (r.result() == ContextResult.ACCEPTANCE) {
            accepted.put(r.contextId(), TransferSyntax.valueOf(r.transferSyntax()));
          }
        }
      }
    }
    return accepted;
  }

  /**
   * The request PDU index of a call; the one call without it (py-kms crashed) is the only request
   * of its vector.
   */
  static int requestIndex(GoldenVector v, Call c) {
    if (c.requestPdu() != null) {
      return c.requestPdu();
    }
    assertNotNull(c.response().error(), v + ": a call without requestPdu got no answer");
    List<Integer> requests = new ArrayList<>();
    for (int i = 0; i < v.exchange().size(); i++) {
      if (PduCodec.decode(v.pdu(i), DecodeLimits.DEFAULT) instanceof RequestPdu) {
        requests.add(i);
      }
    }
    assertEquals(1, requests.size(), v + ": the unanswered call is the only request");
    return requests.get(0);
  }

  static void checkCalls(GoldenVector v, Tally t) {
    for (Call c : v.expect().calls()) {
      t.calls++;
      int reqIndex = requestIndex(v, c);
      RequestPdu rq =
          assertInstanceOf(
              RequestPdu.class, PduCodec.decode(v.pdu(reqIndex), DecodeLimits.DEFAULT));
      if (c.callId() != null) {
        assertEquals(c.callId(), rq.callId(), v + " call_id");
      }
      TransferSyntax syntax =
          acceptedContexts(v, v.exchange().get(reqIndex).conn(), reqIndex).get(rq.contextId());
      assertNotNull(syntax, v + ": request names an accepted context");
      if (c.transferSyntax() != null) {
        assertEquals(TransferSyntax.valueOf(c.transferSyntax()), syntax, v + " transfer syntax");
      }
      byte[] requestStub = rq.stub().toArray();
      byte[] message = KmsStubCodec.decodeRequest(syntax, requestStub, MAX_KMS_MESSAGE);
      DecodedRequest decoded = KmsHostCodec.decodeRequest(message);
      GoldenVector.Request expectedRequest =
          c.request() != null ? c.request() : c.serverLog().request();
      assertNotNull(expectedRequest, v + ": a logged request");
      byte[] responseStub = null;
      ResponsePdu rs = null;
      if (c.responsePdu() != null) {
        rs =
            assertInstanceOf(
                ResponsePdu.class, PduCodec.decode(v.pdu(c.responsePdu()), DecodeLimits.DEFAULT));
        assertEquals(rq.callId(), rs.callId(), v + " response call_id");
        assertEquals(rq.contextId(), rs.contextId(), v + " response p_cont_id");
        responseStub = rs.stub().toArray();
      } else {
        assertNotNull(c.response().error(), v + ": a call without a response PDU logged an error");
      }

      if (decoded.request() instanceof UnsupportedRequest u) {
        t.unsupported++;
        assertEquals(
            ProtocolVersion.parse(expectedRequest.protocolVersion()), u.version(), v + " version");
        assertTrue(!u.version().isSupported(), v + ": version " + u.version() + " is unsupported");
        assertArrayEquals(
            message, u.message().toArray(), v + ": the unsupported message is kept whole");
        byte[] failure = KmsStubCodec.encodeFailure(syntax, HResult.INVALID_DATA);
        if (responseStub != null) {
          assertArrayEquals(responseStub, failure, v + ": failure stub for an unknown version");
          checkHResult(v, c, KmsStubCodec.decodeResponse(syntax, responseStub), t);
          t.failureStubs++;
          assertArrayEquals(
              v.pdu(c.responsePdu()), responsePduBytes(rq, syntax, failure), v + " failure PDU");
        }
        // else: py-kms crashed on the unknown version and sent nothing (docs/PROTOCOL.md §7.2); a
        // kmsj
        // host
        // answers with the failure stub above, which the host replay checks.
        continue;
      }

      t.requestsDecoded++;
      assertEquals(Optional.empty(), decoded.failedCheck(), v + ": request verifies");
      BaseRequest base = decoded.base().orElseThrow();
      checkRequestFields(v + " request", expectedRequest, base, t);
      if (c.serverLog() != null && c.serverLog().request() != null) {
        checkRequestFields(v + " serverLog.request", c.serverLog().request(), base, t);
      }
      EncodedRequest encoded = KmsClientCodec.encodeRequest(decoded.request());
      assertArrayEquals(message, encoded.bytes(), v + ": request re-encodes byte for byte");
      byte[] stubAgain = KmsStubCodec.encodeRequest(syntax, message);
      if (!Arrays.equals(requestStub, stubAgain)) {
        // The py-kms client appends 4 zero bytes after the V4 array (docs/PROTOCOL.md §4.4, §11);
        // requestSize
        // and max_count do not count them, so kmsj's stub is the recorded one without them.
        assertTrue(
            v.source().startsWith("client: py-kms"), v + ": only the py-kms client pads its stub");
        assertInstanceOf(
            RequestV4.class, decoded.request(), v + ": only V4 requests get the trailing bytes");
        assertEquals(stubAgain.length + 4, requestStub.length, v + " stub length");
        assertArrayEquals(
            stubAgain,
            Arrays.copyOf(requestStub, stubAgain.length),
            v + " stub without the trailer");
        assertArrayEquals(
            new byte[4], Arrays.copyOfRange(requestStub, stubAgain.length, requestStub.length));
        t.trailingStubBytes++;
      }
      if (responseStub == null) {
        fail(v + ": a supported request without a response");
      }

      StubResponse sr = KmsStubCodec.decodeResponse(syntax, responseStub);
      checkHResult(v, c, sr, t);
      if (sr.message().isEmpty()) {
        t.failureStubs++;
        assertTrue(sr.hresult().isFailure(), v + ": a NULL response carries a failure HRESULT");
        byte[] failure = KmsStubCodec.encodeFailure(syntax, sr.hresult());
        assertArrayEquals(responseStub, failure, v + " failure stub");
        assertArrayEquals(
            v.pdu(c.responsePdu()), responsePduBytes(rq, syntax, failure), v + " failure PDU");
        continue;
      }
      assertEquals(HResult.S_OK, sr.hresult(), v + " HRESULT of a response with a message");
      byte[] responseMessage = sr.message().get().toArray();
      VerifiedResponse vr = KmsClientCodec.decodeResponse(encoded, responseMessage);
      assertTrue(vr.isVerified(), v + ": response fails " + vr.failedChecks());
      GoldenVector.Response expectedResponse =
          c.response() != null ? c.response() : c.serverLog().response();
      assertNotNull(expectedResponse, v + ": a logged response");
      checkResponseFields(
          v + " response", expectedResponse, vr.response(), responseMessage.length, t);
      if (c.serverLog() != null && c.serverLog().response() != null) {
        checkResponseFields(
            v + " serverLog.response",
            c.serverLog().response(),
            vr.response(),
            responseMessage.length,
            t);
      }
      KmsResponse r = vr.response();
      if (r instanceof ResponseV4) {
        t.v4++;
      } else if (r instanceof ResponseV5) {
        t.v5++;
      } else {
        t.v6++;
      }

      byte[] rebuilt = rebuildResponse(decoded, r, responseMessage);
      assertArrayEquals(responseMessage, rebuilt, v + ": KMS response rebuilt byte for byte");
      byte[] stub = KmsStubCodec.encodeResponse(syntax, rebuilt);
      // vlmcsd writes the HRESULT before the NDR padding, py-kms after it; with HRESULT 0 and zero
      // padding
      // both give the same bytes (docs/PROTOCOL.md §4.4), so the stub must match exactly either
      // way.
      assertArrayEquals(responseStub, stub, v + ": response stub rebuilt byte for byte");
      assertArrayEquals(
          v.pdu(c.responsePdu()), responsePduBytes(rq, syntax, stub), v + ": response PDU rebuilt");
    }
  }

  static byte[] responsePduBytes(RequestPdu rq, TransferSyntax syntax, byte[] stub) {
    HostAssociation host = new HostAssociation(RpcFeatures.MODERN, 1, "1688", DecodeLimits.DEFAULT);
    KmsCall call =
        new KmsCall(
            rq.callId(),
            rq.contextId(),
            syntax,
            rq.header().dataRepresentation(),
            rq.stub().toArray());
    return PduCodec.encode(host.respond(call, stub));
  }

  /**
   * Rebuilds a recorded KMS response from its decoded fields and the host's recovered randomness: R
   * = randomXor ⊕ D(requestSalt), the response salt from the bytes, the HWID from the plaintext.
   */
  static byte[] rebuildResponse(DecodedRequest request, KmsResponse r, byte[] recorded) {
    byte[] zeros16 = new byte[16];
    if (r instanceof ResponseV4) {
      return KmsHostCodec.encodeResponse(
          request,
          r.base(),
          new ResponseRandom(Bytes.of(zeros16), Bytes.of(zeros16)),
          Bytes.of(new byte[8]));
    }
    KmsCipher cipher = request.request() instanceof RequestV5 ? KmsCipher.V5 : KmsCipher.V6;
    byte[] requestSalt = KmsClientCodec.encodeRequest(request.request()).bytes();
    byte[] dSalt = new byte[16];
    cipher.decryptBlock(requestSalt, 4, dSalt, 0);
    Bytes randomXor = r instanceof ResponseV5 v5 ? v5.randomXor() : ((ResponseV6) r).randomXor();
    byte[] random = new byte[16];
    for (int i = 0; i < 16; i++) {
      random[i] = (byte) (randomXor.get(i) ^ dSalt[i]);
    }
    Bytes responseSalt = Bytes.of(recorded, 4, 16);
    Bytes hwid = r instanceof ResponseV6 v6 ? v6.hwid() : Bytes.of(new byte[8]);
    return KmsHostCodec.encodeResponse(
        request, r.base(), new ResponseRandom(Bytes.of(random), responseSalt), hwid);
  }

  static void checkHResult(GoldenVector v, Call c, StubResponse sr, Tally t) {
    String logged =
        c.response() != null && c.response().hresult() != null
            ? c.response().hresult()
            : c.serverLog() != null ? c.serverLog().hresult() : null;
    if (logged != null) {
      assertEquals(
          HResult.of(Integer.parseUnsignedInt(logged.substring(2), 16)),
          sr.hresult(),
          v + " HRESULT");
      t.fields++;
    }
  }

  private static void field(Tally t, String what, Object expected, Object actual) {
    if (expected != null) {
      assertEquals(expected, actual, what);
      t.fields++;
    }
  }

  static void checkRequestFields(String what, GoldenVector.Request e, BaseRequest b, Tally t) {
    field(
        t,
        what + ".protocolVersion",
        e.protocolVersion() == null ? null : ProtocolVersion.parse(e.protocolVersion()),
        b.version());
    field(t, what + ".isClientVm", e.isClientVm(), b.isClientVm());
    field(t, what + ".licenseStatus", e.licenseStatus(), b.licenseStatus().value());
    field(
        t,
        what + ".bindingExpiration",
        e.bindingExpiration(),
        Integer.toUnsignedLong(b.bindingExpiration()));
    field(t, what + ".applicationId", guid(e.applicationId()), b.applicationId());
    field(t, what + ".skuId", guid(e.skuId()), b.skuId());
    field(t, what + ".kmsCountedId", guid(e.kmsCountedId()), b.kmsCountedId());
    field(t, what + ".cmid", guid(e.cmid()), b.cmid());
    field(t, what + ".previousCmid", guid(e.previousCmid()), b.previousCmid());
    field(
        t,
        what + ".requiredClientCount",
        e.requiredClientCount(),
        Integer.toUnsignedLong(b.requiredClientCount()));
    field(t, what + ".clientTimeFiletime", e.clientTimeFiletime(), b.requestTime().value());
    field(
        t,
        what + ".clientTime",
        e.clientTime() == null ? null : Instant.parse(e.clientTime()),
        loggedPrecision(e.clientTime(), b.requestTime().toInstant()));
    field(t, what + ".workstationName", e.workstationName(), b.workstationName());
  }

  static void checkResponseFields(
      String what, GoldenVector.Response e, KmsResponse r, int size, Tally t) {
    BaseResponse b = r.base();
    field(
        t,
        what + ".protocolVersion",
        e.protocolVersion() == null ? null : ProtocolVersion.parse(e.protocolVersion()),
        b.version());
    field(t, what + ".ePid", e.ePid(), b.ePid());
    if (e.hwid() != null) {
      ResponseV6 v6 = assertInstanceOf(ResponseV6.class, r, what + ": only V6 carries a HWID");
      field(t, what + ".hwid", Bytes.fromHex(e.hwid()), v6.hwid());
    }
    field(t, what + ".cmid", guid(e.cmid()), b.cmid());
    field(
        t,
        what + ".clientTime",
        e.clientTime() == null ? null : Instant.parse(e.clientTime()),
        loggedPrecision(e.clientTime(), b.requestTime().toInstant()));
    field(
        t,
        what + ".activeClients",
        e.activeClients(),
        Integer.toUnsignedLong(b.currentClientCount()));
    field(
        t,
        what + ".vlActivationInterval",
        e.vlActivationInterval(),
        Integer.toUnsignedLong(b.vlActivationInterval()));
    field(
        t,
        what + ".vlRenewalInterval",
        e.vlRenewalInterval(),
        Integer.toUnsignedLong(b.vlRenewalInterval()));
    field(t, what + ".kmsResponseSize", e.kmsResponseSize(), size);
  }

  /**
   * vlmcsd logs times with whole seconds even when the client sent fractions; the py-kms client
   * logs them exactly.
   */
  private static Instant loggedPrecision(String logged, Instant actual) {
    return logged != null && !logged.contains(".")
        ? actual.truncatedTo(ChronoUnit.SECONDS)
        : actual;
  }

  private static Guid guid(String text) {
    return text == null ? null : Guid.parse(text);
  }

  // ---------------------------------------------------------------- host replay

  /**
   * Feeds the client side of each connection through a fresh {@link HostAssociation} configured
   * like the recorded host, and compares each answer with what the recorded host sent.
   */
  static void checkHostReplay(GoldenVector v, Tally t) {
    RpcFeatures features = features(v);
    for (int conn : v.connections()) {
      long assocGroup = 1;
      for (BindAnswer b : v.expect().rpc().binds()) {
        if (v.exchange().get(b.pdu()).conn() == conn) {
          assocGroup = b.assocGroupId();
          break;
        }
      }
      HostAssociation host =
          new HostAssociation(features, (int) assocGroup, "11690", DecodeLimits.DEFAULT);
      List<Exchange> ex = v.exchange();
      for (int i = 0; i < ex.size(); i++) {
        Exchange e = ex.get(i);
        if (e.conn() != conn) {
          continue;
        }
        t.replayed++;
        if (!e.clientToServer()) {
          continue; // compared below, as the answer to the client PDU before it
        }
        Pdu sent = PduCodec.decode(e.bytes(), DecodeLimits.DEFAULT);
        int answer = nextOnConnection(v, i);
        Pdu recorded =
            answer < 0 ? null : PduCodec.decode(ex.get(answer).bytes(), DecodeLimits.DEFAULT);
        HostAssociation.Outcome outcome = host.accept(sent);
        String where = v + " conn " + conn + " PDU #" + i;
        if (outcome instanceof HostAssociation.Reply reply
            && reply.pdu() instanceof BindAckPdu ours) {
          BindAckPdu theirs = assertInstanceOf(BindAckPdu.class, recorded, where);
          BindPdu bind = (BindPdu) sent;
          boolean deviation =
              bind.contexts().stream().anyMatch(c -> pyKmsAcceptsUnknownInterface(v, c));
          if (deviation) {
            // py-kms accepts the foreign interface; kmsj rejects it. Everything else must agree.
            assertEquals(
                new BindAckPdu(
                    theirs.type(),
                    theirs.header(),
                    theirs.maxXmitFrag(),
                    theirs.maxRecvFrag(),
                    theirs.assocGroupId(),
                    theirs.secondaryAddress(),
                    ours.results()),
                ours,
                where);
            assertNotEquals(theirs.results(), ours.results(), where);
          } else {
            assertEquals(theirs, ours, where + ": bind answer");
            byte[] mine = PduCodec.encode(ours);
            byte[] recordedBytes = ex.get(answer).bytes();
            assertEquals(recordedBytes.length, mine.length, where);
            Set<Integer> allowed = quirkOffsets(v, ex.get(answer), theirs);
            for (int k = 0; k < mine.length; k++) {
              if (mine[k] != recordedBytes[k]) {
                assertTrue(allowed.contains(k), where + ": bind answer differs at byte " + k);
              }
            }
          }
        } else if (outcome instanceof HostAssociation.Reply reply
            && reply.pdu() instanceof FaultPdu ours) {
          RequestPdu request = (RequestPdu) sent;
          assertEquals(
              request.callId(),
              ours.callId(),
              where + ": a kmsj fault copies the request's call_id");
          assertEquals(
              PfcFlags.FIRST_LAST | PfcFlags.DID_NOT_EXECUTE, ours.header().flags(), where);
          if (recorded instanceof FaultPdu theirs) {
            // vlmcsd: fault for an unknown context. Same status, flags and (here) call_id; vlmcsd's
            // own bugs
            // (alloc_hint 32, p_cont_id 0 whatever the request said, uninitialised cancel_count,
            // call_id
            // always 2; docs/PROTOCOL.md §3.8) are not copied.
            assertEquals(NcaStatus.UNK_IF, ours.status(), where);
            assertEquals(theirs.status(), ours.status(), where);
            assertEquals(theirs.header().flags(), ours.header().flags(), where);
            assertEquals(theirs.callId(), ours.callId(), where);
            assertEquals(0, ours.allocHint(), where);
            assertEquals(request.contextId(), ours.contextId(), where);
            assertEquals(0, ours.cancelCount(), where);
          } else {
            // vlmcsd executes a request with opnum 1 (vector probes/vlmcsd-opnum-1); kmsj answers
            // nca_s_op_rng_error as [C706] requires (docs/PROTOCOL.md §3.8, §11).
            assertInstanceOf(ResponsePdu.class, recorded, where);
            assertNotEquals(0, request.opnum(), where);
            assertEquals(NcaStatus.OP_RNG_ERROR, ours.status(), where);
          }
        } else if (outcome instanceof HostAssociation.Dispatch dispatch) {
          KmsCall call = dispatch.call();
          RequestPdu request = (RequestPdu) sent;
          assertEquals(request.callId(), call.callId(), where);
          byte[] stub = answerStub(v, i, call);
          byte[] mine = PduCodec.encode(host.respond(call, stub));
          if (recorded == null) {
            // py-kms crashed on the unknown version and closed the connection (docs/PROTOCOL.md
            // §7.2);
            // kmsj answers
            // with the failure stub.
            assertTrue(v.serverIsPyKms(), where);
            assertEquals(
                new StubResponse(Optional.empty(), HResult.INVALID_DATA),
                KmsStubCodec.decodeResponse(call.syntax(), stub),
                where);
          } else {
            assertArrayEquals(ex.get(answer).bytes(), mine, where + ": response PDU");
          }
        } else {
          fail(where + ": unexpected outcome " + outcome);
        }
      }
    }
  }

  /** The index of the next PDU on the same connection in the other direction, or -1. */
  static int nextOnConnection(GoldenVector v, int index) {
    Exchange e = v.exchange().get(index);
    for (int j = index + 1; j < v.exchange().size(); j++) {
      Exchange n = v.exchange().get(j);
      if (n.conn() == e.conn()) {
        return n.clientToServer() == e.clientToServer() ? -1 : j;
      }
    }
    return -1;
  }

  /**
   * What a kmsj host with the recorded host's decisions and randomness answers to the request at
   * {@code index}.
   */
  static byte[] answerStub(GoldenVector v, int index, KmsCall call) {
    Call c =
        v.expect().calls().stream()
            .filter(k -> requestIndex(v, k) == index)
            .findFirst()
            .orElseThrow(
                () -> new AssertionError(v + ": no expect.calls entry for request PDU #" + index));
    byte[] message = KmsStubCodec.decodeRequest(call.syntax(), call.stub(), MAX_KMS_MESSAGE);
    DecodedRequest decoded = KmsHostCodec.decodeRequest(message);
    if (decoded.request() instanceof UnsupportedRequest) {
      return KmsStubCodec.encodeFailure(call.syntax(), HResult.INVALID_DATA);
    }
    ResponsePdu rs = (ResponsePdu) PduCodec.decode(v.pdu(c.responsePdu()), DecodeLimits.DEFAULT);
    StubResponse sr = KmsStubCodec.decodeResponse(call.syntax(), rs.stub().toArray());
    if (sr.message().isEmpty()) {
      // A refusal is the recorded host's policy (whitelist, N > 1000), not the codec's: reuse its
      // HRESULT.
      return KmsStubCodec.encodeFailure(call.syntax(), sr.hresult());
    }
    byte[] recorded = sr.message().get().toArray();
    VerifiedResponse vr =
        KmsClientCodec.decodeResponse(KmsClientCodec.encodeRequest(decoded.request()), recorded);
    return KmsStubCodec.encodeResponse(
        call.syntax(), rebuildResponse(decoded, vr.response(), recorded));
  }
}
