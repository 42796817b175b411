package io.github.kmsj.protocol.rpc;

import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.DecodeLimits;
import io.github.kmsj.protocol.LimitExceededException;
import io.github.kmsj.protocol.MalformedPduException;
import io.github.kmsj.protocol.internal.LittleEndian;
import io.github.kmsj.protocol.internal.WireReader;
import io.github.kmsj.protocol.internal.WireWriter;
import io.github.kmsj.protocol.message.Guid;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decodes one whole connection-oriented PDU and encodes PDU values ([C706] 12.6). Framing a byte
 * stream into PDUs is {@link PduDecoder}'s job; this class sees exactly one PDU.
 */
public final class PduCodec {
  /** The common header's length. */
  public static final int HEADER_SIZE = 16;

  private PduCodec() {}

  /**
   * Decodes one PDU that fills {@code pdu} exactly.
   *
   * @throws MalformedPduException naming the field and offset of the first problem
   * @throws LimitExceededException when a length or count is above {@code limits}
   */
  public static Pdu decode(byte[] pdu, DecodeLimits limits) {
    WireReader r = new WireReader(pdu, "PDU");
    int major = r.u8("rpc_vers");
    int minor = r.u8("rpc_vers_minor");
    if (major != 5 || minor > 1) {
      throw r.error(
          "rpc_vers", 0, "only connection-oriented RPC 5.0/5.1 is spoken: " + major + "." + minor);
    }
    int ptype = r.u8("PTYPE");
    int flags = r.u8("pfc_flags");
    int drep = r.u32("packed_drep");
    if ((drep & 0xf0) != PduHeader.DREP_LITTLE_ENDIAN || (drep & 0x0f) != 0) {
      throw r.error(
          "packed_drep",
          4,
          String.format("only little-endian ASCII data is supported: 0x%08x", drep));
    }
    int fragLength = r.u16("frag_length");
    if (fragLength > limits.maxPduSize()) {
      throw new LimitExceededException("PDU size", limits.maxPduSize(), fragLength);
    }
    if (fragLength != pdu.length) {
      throw r.error(
          "frag_length", 8, "declares " + fragLength + " bytes, the PDU has " + pdu.length);
    }
    int authLength = r.u16("auth_length");
    if (authLength != 0) {
      throw r.error("auth_length", 10, "KMS uses no RPC authentication: " + authLength);
    }
    PduHeader header = new PduHeader(flags, drep, r.u32("call_id"));
    PduType type = PduType.of(ptype);
    switch (ptype) {
      case 0:
        return decodeRequest(r, header);
      case 2:
        return new ResponsePdu(
            header,
            r.u32("alloc_hint"),
            r.u16("p_cont_id"),
            r.u8("cancel_count"),
            skipThenRest(r, 1, "reserved"));
      case 3:
        return decodeFault(r, header);
      case 11:
      case 14:
        return decodeBind(r, type, header, limits);
      case 12:
      case 15:
        return decodeBindAck(r, type, header, limits);
      case 13:
        return decodeBindNak(r, header);
      default:
        return new OtherPdu(type, header, Bytes.of(r.bytes(r.remaining(), "body")));
    }
  }

  private static Bytes skipThenRest(WireReader r, int skip, String field) {
    r.skip(skip, field);
    return Bytes.of(r.bytes(r.remaining(), "stub"));
  }

  private static RequestPdu decodeRequest(WireReader r, PduHeader header) {
    int allocHint = r.u32("alloc_hint");
    int contextId = r.u16("p_cont_id");
    int opnum = r.u16("opnum");
    Optional<Guid> object = Optional.empty();
    if (header.has(PfcFlags.OBJECT_UUID)) {
      r.require(16, "object");
      object = Optional.of(Guid.fromWire(r.array(), r.arrayOffset()));
      r.skip(16, "object");
    }
    return new RequestPdu(
        header, allocHint, contextId, opnum, object, Bytes.of(r.bytes(r.remaining(), "stub")));
  }

  private static FaultPdu decodeFault(WireReader r, PduHeader header) {
    int allocHint = r.u32("alloc_hint");
    int contextId = r.u16("p_cont_id");
    int cancelCount = r.u8("cancel_count");
    r.skip(1, "reserved");
    return new FaultPdu(header, allocHint, contextId, cancelCount, NcaStatus.of(r.u32("status")));
  }

  private static BindPdu decodeBind(
      WireReader r, PduType type, PduHeader header, DecodeLimits limits) {
    int maxXmit = r.u16("max_xmit_frag");
    int maxRecv = r.u16("max_recv_frag");
    int assoc = r.u32("assoc_group_id");
    int n = r.u8("n_context_elem");
    r.skip(3, "reserved");
    if (n > limits.maxContextsPerBind()) {
      throw new LimitExceededException("contexts per bind", limits.maxContextsPerBind(), n);
    }
    List<PresentationContext> contexts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int contextId = r.u16("p_cont_id");
      int nSyntaxes = r.u8("n_transfer_syn");
      r.skip(1, "reserved");
      if (nSyntaxes == 0) {
        throw r.error(
            "n_transfer_syn", r.position() - 2, "a context offers at least one transfer syntax");
      }
      r.require(20 + 20 * nSyntaxes, "p_cont_elem");
      SyntaxId abstractSyntax = syntaxId(r);
      List<SyntaxId> syntaxes = new ArrayList<>(nSyntaxes);
      for (int j = 0; j < nSyntaxes; j++) {
        syntaxes.add(syntaxId(r));
      }
      contexts.add(new PresentationContext(contextId, abstractSyntax, syntaxes));
    }
    return new BindPdu(type, header, maxXmit, maxRecv, assoc, contexts);
  }

  private static SyntaxId syntaxId(WireReader r) {
    Guid uuid = Guid.fromWire(r.array(), r.arrayOffset());
    r.skip(16, "syntax uuid");
    return new SyntaxId(uuid, r.u32("syntax version"));
  }

  private static BindAckPdu decodeBindAck(
      WireReader r, PduType type, PduHeader header, DecodeLimits limits) {
    int maxXmit = r.u16("max_xmit_frag");
    int maxRecv = r.u16("max_recv_frag");
    int assoc = r.u32("assoc_group_id");
    int secLength = r.u16("sec_addr.length");
    String secondary = "";
    if (secLength > 0) {
      byte[] port = r.bytes(secLength, "sec_addr.port_spec");
      if (port[secLength - 1] != 0) {
        throw r.error("sec_addr.port_spec", r.position() - 1, "not NUL-terminated");
      }
      for (int i = 0; i < secLength - 1; i++) {
        if (port[i] <= 0) {
          throw r.error("sec_addr.port_spec", r.position() - secLength + i, "not printable ASCII");
        }
      }
      secondary = new String(port, 0, secLength - 1, StandardCharsets.US_ASCII);
    }
    r.align(4, "pad");
    int n = r.u8("n_results");
    r.skip(3, "reserved");
    if (n > limits.maxContextsPerBind()) {
      throw new LimitExceededException("contexts per bind", limits.maxContextsPerBind(), n);
    }
    r.require(24 * n, "p_result_list");
    List<ContextResult> results = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int result = r.u16("result");
      int reason = r.u16("reason");
      results.add(new ContextResult(result, reason, syntaxId(r)));
    }
    return new BindAckPdu(type, header, maxXmit, maxRecv, assoc, secondary, results);
  }

  private static BindNakPdu decodeBindNak(WireReader r, PduHeader header) {
    int reason = r.u16("provider_reject_reason");
    List<Integer> versions = new ArrayList<>();
    if (r.remaining() > 0) {
      int n = r.u8("n_protocols");
      r.require(2 * n, "p_protocols");
      for (int i = 0; i < n; i++) {
        versions.add(r.u8("major") << 8 | r.u8("minor"));
      }
    }
    return new BindNakPdu(header, reason, versions);
  }

  /** Encodes a PDU; {@code frag_length} is computed and {@code auth_length} is 0. */
  public static byte[] encode(Pdu pdu) {
    // Requests and responses are sized exactly, so that the writer never grows on the hot path.
    WireWriter w =
        new WireWriter(
            pdu instanceof RequestPdu q
                ? 40 + q.stub().length()
                : pdu instanceof ResponsePdu p ? 24 + p.stub().length() : 128);
    PduHeader h = pdu.header();
    w.u8(5)
        .u8(0)
        .u8(pdu.type().value())
        .u8(h.flags())
        .u32(h.dataRepresentation())
        .u16(0)
        .u16(0)
        .u32(h.callId());
    if (pdu instanceof RequestPdu q) {
      w.u32(q.allocHint()).u16(q.contextId()).u16(q.opnum());
      q.object().ifPresent(g -> w.bytes(g.toWire()));
      w.bytes(q.stub());
    } else if (pdu instanceof ResponsePdu p) {
      w.u32(p.allocHint()).u16(p.contextId()).u8(p.cancelCount()).u8(0).bytes(p.stub());
    } else if (pdu instanceof FaultPdu f) {
      w.u32(f.allocHint())
          .u16(f.contextId())
          .u8(f.cancelCount())
          .u8(0)
          .u32(f.status().value())
          .u32(0);
    } else if (pdu instanceof BindPdu b) {
      w.u16(b.maxXmitFrag())
          .u16(b.maxRecvFrag())
          .u32(b.assocGroupId())
          .u8(b.contexts().size())
          .zeros(3);
      for (PresentationContext c : b.contexts()) {
        w.u16(c.contextId()).u8(c.transferSyntaxes().size()).u8(0);
        writeSyntax(w, c.abstractSyntax());
        c.transferSyntaxes().forEach(s -> writeSyntax(w, s));
      }
    } else if (pdu instanceof BindAckPdu a) {
      w.u16(a.maxXmitFrag()).u16(a.maxRecvFrag()).u32(a.assocGroupId());
      if (a.secondaryAddress().isEmpty()) {
        w.u16(0);
      } else {
        byte[] port = a.secondaryAddress().getBytes(StandardCharsets.US_ASCII);
        w.u16(port.length + 1).bytes(port).u8(0);
      }
      w.align(4).u8(a.results().size()).zeros(3);
      for (ContextResult c : a.results()) {
        w.u16(c.result()).u16(c.reason());
        writeSyntax(w, c.transferSyntax());
      }
    } else if (pdu instanceof BindNakPdu n) {
      w.u16(n.rejectReason()).u8(n.versions().size());
      n.versions().forEach(v -> w.u8(v >> 8).u8(v));
    } else {
      w.bytes(((OtherPdu) pdu).body().toArray());
    }
    int length = w.position();
    if (length > 0xffff) {
      throw new IllegalArgumentException("PDU of " + length + " bytes exceeds frag_length's range");
    }
    w.putU16At(8, length);
    return w.toByteArray();
  }

  private static void writeSyntax(WireWriter w, SyntaxId s) {
    w.bytes(s.uuid().toWire()).u32(s.version());
  }

  /** The {@code frag_length} in a header at {@code offset} of {@code buf} (needs 10 bytes). */
  static int fragLength(byte[] buf, int offset) {
    return LittleEndian.getShort(buf, offset + 8);
  }

  static boolean hasOwnRecord(int ptype) {
    return ptype == 0 || ptype == 2 || ptype == 3 || (ptype >= 11 && ptype <= 15);
  }

  static void checkU16(int v, String name) {
    if (v < 0 || v > 0xffff) {
      throw new IllegalArgumentException(name + " must be 0-65535: " + v);
    }
  }

  static void checkU8(int v, String name) {
    if (v < 0 || v > 0xff) {
      throw new IllegalArgumentException(name + " must be 0-255: " + v);
    }
  }
}
