package io.github.kmsj.core.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kmsj.core.ledger.ClientLedger;
import io.github.kmsj.core.ledger.ClientRecord;
import io.github.kmsj.core.ledger.DailyCount;
import io.github.kmsj.core.ledger.HostIdentity;
import io.github.kmsj.core.ledger.HostState;
import io.github.kmsj.core.ledger.LedgerLimits;
import io.github.kmsj.core.ledger.LedgerState;
import io.github.kmsj.protocol.Bytes;
import io.github.kmsj.protocol.message.Epid;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.LicenseStatus;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Writes a {@link HostState} as the documented JSON of the package documentation, reads it back,
 * and imports it into a store, so that a host can move to a new machine with its count.
 */
public final class HostStateExporter {

  /** The value of the {@code format} field. */
  public static final String FORMAT = "kmsj-host-state";

  /** The format version this class writes and reads. */
  public static final int VERSION = 2;

  private static final Pattern IP_LITERAL =
      Pattern.compile("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** An exporter; it holds no state besides its JSON mapper and can be reused. */
  public HostStateExporter() {}

  /**
   * Writes {@code state} to {@code out} as UTF-8 JSON; {@code out} stays open.
   *
   * @throws IOException if {@code out} fails
   */
  public void write(HostState state, OutputStream out) throws IOException {
    Objects.requireNonNull(state, "state");
    LedgerState ledger = state.ledger();
    ObjectNode root = mapper.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    root.put("asOf", ledger.asOf().toString());
    ObjectNode identity = root.putObject("identity");
    identity.put("hwid", state.identity().hwid().toHex());
    ObjectNode ePids = identity.putObject("ePids");
    new TreeMap<>(state.identity().ePids())
        .forEach((group, ePid) -> ePids.put(group, ePid.format()));
    ArrayNode applications = root.putArray("applications");
    for (LedgerState.Application a : ledger.applications()) {
      ObjectNode app = applications.addObject();
      app.put("applicationId", a.applicationId().toString());
      app.put("highestPolicy", a.highestPolicy());
      ArrayNode history = app.putArray("history");
      for (DailyCount d : a.history()) {
        history.addObject().put("day", d.day().toString()).put("highestCount", d.highestCount());
      }
    }
    ArrayNode clients = root.putArray("clients");
    for (ClientRecord c : ledger.clients()) {
      ObjectNode client = clients.addObject();
      client.put("cmid", c.cmid().toString());
      client.put("applicationId", c.applicationId().toString());
      client.put("workstationName", c.workstationName());
      client.put("skuId", c.skuId().toString());
      client.put("kmsCountedId", c.kmsCountedId().toString());
      client.put("licenseStatus", c.licenseStatus().value());
      client.put("requiredClientCount", c.requiredClientCount());
      if (c.remote().isPresent() && c.remote().get().getAddress() != null) {
        client.put("remoteAddress", c.remote().get().getAddress().getHostAddress());
        client.put("remotePort", c.remote().get().getPort());
      }
      client.put("firstSeen", c.firstSeen().toString());
      client.put("lastSeen", c.lastSeen().toString());
      client.put("requestCount", c.requestCount());
      client.put("inCount", c.inCount());
      ArrayNode names = client.putArray("workstationNames");
      c.workstationNames().forEach(names::add);
      ArrayNode addresses = client.putArray("addresses");
      c.addresses().forEach(a -> addresses.add(a.getHostAddress()));
    }
    mapper.writeValue(new NonClosing(out), root);
  }

  /**
   * Reads a state written by {@link #write}, or by kmsj 0.1's version 1 (whose count tables become
   * the records' {@code inCount}).
   *
   * @throws StoreException naming the field if the JSON is not a valid host state of a known
   *     version
   * @throws IOException if {@code in} fails
   */
  public HostState read(InputStream in) throws IOException {
    JsonNode root;
    try {
      root = mapper.readTree(in);
    } catch (JsonProcessingException e) {
      throw new StoreException("host state is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (CharConversionException e) {
      // Jackson's UTF-32 and UTF-8 decoders report bytes that are no character this way, as an
      // IOException and not a JsonProcessingException: bad content, not a failing stream.
      throw new StoreException("host state is not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new StoreException("host state must be a JSON object");
    }
    if (!FORMAT.equals(text(root, "format", ""))) {
      throw new StoreException(
          "host state has format " + root.get("format") + ", expected \"" + FORMAT + "\"");
    }
    int version = integer(root, "version", "");
    if (version != VERSION && version != 1) {
      throw new StoreException(
          "host state has version " + version + "; this kmsj reads versions 1 and " + VERSION);
    }
    try {
      JsonNode id = object(root, "identity", "");
      Map<String, Epid> ePids = new TreeMap<>();
      Iterator<Map.Entry<String, JsonNode>> fields =
          object(id, "ePids", "identity.").properties().iterator();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        ePids.put(f.getKey(), Epid.parse(f.getValue().asText()));
      }
      HostIdentity identity = new HostIdentity(Bytes.fromHex(text(id, "hwid", "identity.")), ePids);
      List<LedgerState.Application> applications = new ArrayList<>();
      Map<Guid, Set<Guid>> countedV1 = new HashMap<>();
      for (JsonNode app : array(root, "applications", "")) {
        Guid applicationId = guid(app, "applicationId");
        List<DailyCount> history = new ArrayList<>();
        if (app.has("history")) {
          for (JsonNode d : array(app, "history", "applications[].")) {
            history.add(
                new DailyCount(
                    LocalDate.parse(text(d, "day", "applications[].history[].")),
                    integer(d, "highestCount", "applications[].history[].")));
          }
        }
        applications.add(
            new LedgerState.Application(
                applicationId, integer(app, "highestPolicy", "applications[]."), history));
        if (version == 1) {
          Set<Guid> counted = new HashSet<>();
          for (JsonNode e : array(app, "entries", "applications[].")) {
            counted.add(guid(e, "cmid"));
          }
          countedV1.put(applicationId, counted);
        }
      }
      List<ClientRecord> clients = new ArrayList<>();
      for (JsonNode c : array(root, "clients", "")) {
        clients.add(client(c, version, applications, countedV1));
      }
      clients.sort(Comparator.comparing(ClientRecord::lastSeen));
      HostState state =
          new HostState(identity, new LedgerState(instant(root, "asOf"), applications, clients));
      validate(state);
      return state;
    } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
      throw new StoreException("host state is invalid: " + e.getMessage(), e);
    }
  }

  /**
   * Checks that a ledger can hold {@code state} exactly as a store would load it (counted records
   * most recent per application, within capacity), so that nothing invalid ever reaches a store.
   */
  private static void validate(HostState state) {
    new ClientLedger(LedgerLimits.DEFAULT).restore(state.ledger());
  }

  private static ClientRecord client(
      JsonNode c,
      int version,
      List<LedgerState.Application> applications,
      Map<Guid, Set<Guid>> countedV1) {
    Optional<InetSocketAddress> remote = Optional.empty();
    if (c.hasNonNull("remoteAddress")) {
      remote =
          Optional.of(
              new InetSocketAddress(
                  address(text(c, "remoteAddress", "clients[].")),
                  integer(c, "remotePort", "clients[].")));
    }
    Guid cmid = guid(c, "cmid");
    Guid applicationId = guid(c, "applicationId");
    String name = text(c, "workstationName", "clients[].");
    int policy;
    boolean inCount;
    List<String> names = new ArrayList<>();
    List<InetAddress> addresses = new ArrayList<>();
    if (version == 1) {
      policy =
          applications.stream()
              .filter(a -> a.applicationId().equals(applicationId))
              .mapToInt(LedgerState.Application::highestPolicy)
              .findFirst()
              .orElse(0);
      inCount = countedV1.getOrDefault(applicationId, Set.of()).contains(cmid);
      names.add(name);
      remote.ifPresent(r -> addresses.add(r.getAddress()));
    } else {
      policy = integer(c, "requiredClientCount", "clients[].");
      JsonNode counted = c.get("inCount");
      if (counted == null || !counted.isBoolean()) {
        throw new StoreException("host state field clients[].inCount must be true or false");
      }
      inCount = counted.booleanValue();
      for (JsonNode n : array(c, "workstationNames", "clients[].")) {
        names.add(n.asText());
      }
      for (JsonNode a : array(c, "addresses", "clients[].")) {
        addresses.add(address(a.asText()));
      }
    }
    return new ClientRecord(
        cmid,
        applicationId,
        name,
        guid(c, "skuId"),
        guid(c, "kmsCountedId"),
        LicenseStatus.of(integer(c, "licenseStatus", "clients[].")),
        policy,
        remote,
        instant(c, "firstSeen"),
        instant(c, "lastSeen"),
        longValue(c, "requestCount", "clients[]."),
        inCount,
        names,
        addresses);
  }

  /**
   * Loads {@code target} and replaces its contents with {@code state}. The store stays open; close
   * it before a host opens the same directory.
   *
   * @param replaceExisting whether a store that already holds an identity or clients may be
   *     overwritten
   * @throws StoreException if the store is not empty and {@code replaceExisting} is false, or it
   *     fails
   */
  public void importInto(HostStore target, HostState state, boolean replaceExisting) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(state, "state");
    try {
      validate(state);
    } catch (IllegalArgumentException e) {
      throw new StoreException("refusing to import an invalid host state: " + e.getMessage(), e);
    }
    LoadedState existing = target.load(LedgerLimits.DEFAULT);
    if (!existing.isEmpty() && !replaceExisting) {
      throw new StoreException(
          "refusing to import into "
              + target
              + ": it already holds a host state (pass replaceExisting to overwrite)");
    }
    target.replace(state);
  }

  private static String text(JsonNode node, String field, String path) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new StoreException("host state field " + path + field + " must be a string");
    }
    return v.asText();
  }

  private static int integer(JsonNode node, String field, String path) {
    JsonNode v = node.get(field);
    if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new StoreException("host state field " + path + field + " must be an integer");
    }
    return v.intValue();
  }

  private static long longValue(JsonNode node, String field, String path) {
    JsonNode v = node.get(field);
    if (v == null || !v.canConvertToLong() || !v.isIntegralNumber()) {
      throw new StoreException("host state field " + path + field + " must be an integer");
    }
    return v.longValue();
  }

  private static JsonNode object(JsonNode node, String field, String path) {
    JsonNode v = node.get(field);
    if (v == null || !v.isObject()) {
      throw new StoreException("host state field " + path + field + " must be an object");
    }
    return v;
  }

  private static JsonNode array(JsonNode node, String field, String path) {
    JsonNode v = node.get(field);
    if (v == null || !v.isArray()) {
      throw new StoreException("host state field " + path + field + " must be an array");
    }
    return v;
  }

  private static Guid guid(JsonNode node, String field) {
    return Guid.parse(text(node, field, ""));
  }

  private static Instant instant(JsonNode node, String field) {
    return Instant.parse(text(node, field, ""));
  }

  private static InetAddress address(String literal) {
    if (!IP_LITERAL.matcher(literal).matches()) {
      throw new IllegalArgumentException("remoteAddress must be an IP address literal: " + literal);
    }
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("remoteAddress is not an IP address: " + literal, e);
    }
  }

  /** Keeps Jackson from closing the caller's stream. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
