package io.github.kmsj.protocol.testing;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One recorded exchange from {@code vectors/<area>/<name>.json} on the test class path (format:
 * {@code vectors/README.md}).
 *
 * <p>{@code expect.calls[].request/response} come from the client's own log and {@code serverLog}
 * from the server's own log; {@code expect.rpc} was decoded from the bytes. A field the log did not
 * show is null.
 *
 * @param name {@code <directory>/<file name>} without {@code .json}, for example {@code
 *     vlmcsd/v6-ndr64-btfn}
 * @param source the tools, versions and exact command lines
 * @param time the client request time of the first call (ISO-8601 UTC)
 * @param note one Wireshark-style decode per PDU
 * @param exchange one entry per RPC PDU, in recording order
 * @param expect what the PDUs are expected to contain
 */
public record GoldenVector(
    String name,
    String source,
    String time,
    List<String> note,
    List<Exchange> exchange,
    Expect expect) {

  /** Null checks and defensive copies. */
  public GoldenVector {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    note = note == null ? List.of() : List.copyOf(note);
    exchange = List.copyOf(exchange);
    Objects.requireNonNull(expect, "expect");
  }

  /**
   * One PDU as it crossed the wire.
   *
   * @param dir {@code c2s} or {@code s2c}
   * @param conn the TCP connection number, from 1
   * @param hex the PDU bytes
   */
  public record Exchange(String dir, int conn, String hex) {
    /** The PDU bytes (a new array). */
    public byte[] bytes() {
      return HexFormat.of().parseHex(hex);
    }

    /** Whether the client sent it. */
    public boolean clientToServer() {
      return "c2s".equals(dir);
    }
  }

  /**
   * The expectations.
   *
   * @param provenance where each part comes from
   * @param rpc structural RPC facts decoded from the bytes
   * @param calls one entry per KMS request sent
   */
  public record Expect(String provenance, Rpc rpc, List<Call> calls) {
    /** Defaults for absent lists. */
    public Expect {
      rpc = rpc == null ? new Rpc(List.of(), List.of()) : rpc;
      calls = calls == null ? List.of() : List.copyOf(calls);
    }
  }

  /**
   * RPC-level expectations.
   *
   * @param binds every bind_ack and alter_context_resp
   * @param faults every fault PDU (empty when none)
   */
  public record Rpc(List<BindAnswer> binds, List<Fault> faults) {
    /** Defaults for absent lists. */
    public Rpc {
      binds = binds == null ? List.of() : List.copyOf(binds);
      faults = faults == null ? List.of() : List.copyOf(faults);
    }
  }

  /**
   * A recorded bind_ack or alter_context_resp.
   *
   * @param pdu its index in {@link #exchange()}
   * @param ptype {@code bind_ack} or {@code alter_context_resp}
   * @param assocGroupId the announced association group (u32)
   * @param secondaryAddress the port string, empty for none
   * @param results one per offered context
   */
  public record BindAnswer(
      int pdu, String ptype, long assocGroupId, String secondaryAddress, List<Result> results) {
    /** Copies. */
    public BindAnswer {
      results = List.copyOf(results);
    }
  }

  /**
   * One presentation-context result.
   *
   * @param contextId the offered context's id
   * @param offered what it offered: NDR32, NDR64, BTFN(0x3)
   * @param result 0 acceptance, 2 provider_rejection, 3 negotiate_ack
   * @param reason the reason or, for negotiate_ack, the feature bitmask
   * @param transferSyntax {@code NDR32}, {@code NDR64} or {@code null} (the zero syntax)
   * @param version the transfer syntax version
   */
  public record Result(
      int contextId, String offered, int result, int reason, String transferSyntax, int version) {}

  /**
   * A recorded fault.
   *
   * @param pdu its index in {@link #exchange()}
   * @param status the NCA status, {@code 0x1c010003}
   * @param callId its call_id
   * @param flags its pfc_flags, {@code 0x23}
   */
  public record Fault(int pdu, String status, int callId, String flags) {}

  /**
   * One KMS call.
   *
   * @param requestPdu index of the request PDU, null when not recorded
   * @param responsePdu index of the response PDU, null when none came
   * @param transferSyntax NDR32 or NDR64
   * @param callId the request's call_id
   * @param request what the client logged it sent (null for the hand-made probes)
   * @param response what the client logged it received
   * @param serverLog what the server logged
   */
  public record Call(
      Integer requestPdu,
      Integer responsePdu,
      String transferSyntax,
      Integer callId,
      Request request,
      Response response,
      ServerLog serverLog) {}

  /**
   * Request fields as a peer logged them; absent fields are null.
   *
   * @param protocolVersion {@code 6.0}
   * @param isClientVm 0 or 1
   * @param licenseStatus 0-6
   * @param bindingExpiration minutes
   * @param applicationId GUID text
   * @param skuId GUID text
   * @param kmsCountedId GUID text
   * @param cmid GUID text
   * @param previousCmid GUID text
   * @param requiredClientCount the N policy
   * @param clientTime ISO-8601 UTC
   * @param clientTimeFiletime the exact FILETIME
   * @param workstationName the name
   */
  public record Request(
      String protocolVersion,
      Integer isClientVm,
      Integer licenseStatus,
      Long bindingExpiration,
      String applicationId,
      String skuId,
      String kmsCountedId,
      String cmid,
      String previousCmid,
      Long requiredClientCount,
      String clientTime,
      Long clientTimeFiletime,
      String workstationName) {}

  /**
   * Response fields as a peer logged them; absent fields are null.
   *
   * @param hresult {@code 0x00000000} for success
   * @param protocolVersion {@code 6.0}
   * @param ePid the host's ePID
   * @param hwid 16 hex digits in wire order
   * @param cmid GUID text
   * @param clientTime ISO-8601 UTC
   * @param activeClients the count
   * @param vlActivationInterval minutes
   * @param vlRenewalInterval minutes
   * @param kmsResponseSize bytes of the KMS response
   * @param error why no answer came
   */
  public record Response(
      String hresult,
      String protocolVersion,
      String ePid,
      String hwid,
      String cmid,
      String clientTime,
      Long activeClients,
      Long vlActivationInterval,
      Long vlRenewalInterval,
      Integer kmsResponseSize,
      String error) {}

  /**
   * What the server logged about a call.
   *
   * @param request the request it saw
   * @param response the response it sent
   * @param ePidSource where its ePID came from
   * @param error the failure it hit
   * @param hresult the HRESULT it answered
   */
  public record ServerLog(
      Request request, Response response, String ePidSource, String error, String hresult) {}

  /** The PDU bytes at {@code index} of the exchange. */
  public byte[] pdu(int index) {
    return exchange.get(index).bytes();
  }

  /** The TCP connection numbers, in order. */
  public List<Integer> connections() {
    return new ArrayList<>(new TreeSet<>(exchange.stream().map(Exchange::conn).toList()));
  }

  /** The server part of {@link #source()} (after {@code || server:}, before {@code || path:}). */
  public String serverCommand() {
    int s = source.indexOf("|| server:");
    if (s < 0) {
      throw new IllegalStateException(name + ": source names no server: " + source);
    }
    int e = source.indexOf("|| path:", s);
    return source.substring(s + "|| server:".length(), e < 0 ? source.length() : e).trim();
  }

  /** Whether the recorded host was py-kms (otherwise vlmcsd). */
  public boolean serverIsPyKms() {
    String server = serverCommand();
    if (server.startsWith("py-kms")) {
      return true;
    }
    if (server.startsWith("vlmcsd")) {
      return false;
    }
    throw new IllegalStateException(name + ": unknown server: " + server);
  }

  /**
   * The host's RPC features as its command line set them: vlmcsd defaults to NDR64 and BTFN, {@code
   * -N0} and {@code -B0} switch them off; py-kms never accepts NDR64 and always acknowledges BTFN
   * (docs/PROTOCOL.md §3.6, §11).
   *
   * @return {ndr64, btfn}
   */
  public boolean[] serverFeatureFlags() {
    if (serverIsPyKms()) {
      return new boolean[] {false, true};
    }
    String server = serverCommand();
    return new boolean[] {
      !server.matches("(?s).*\\s-N0\\b.*"), !server.matches("(?s).*\\s-B0\\b.*")
    };
  }

  /**
   * Whether a client request was sent by the hand-made probe client (only the server side is a real
   * peer).
   */
  public boolean isProbe() {
    return name.startsWith("probes/");
  }

  @Override
  public String toString() {
    return name;
  }
}
