package io.github.kmsj.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.host.RequestCountersSnapshot;
import io.github.kmsj.core.ledger.ClientLedger;
import io.github.kmsj.core.ledger.ClientRecord;
import io.github.kmsj.core.ledger.HostState;
import io.github.kmsj.core.ledger.LedgerState;
import io.github.kmsj.protocol.message.Guid;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code --json} output of every command: one pretty-printed document with stable field names
 * (camelCase, GUIDs as strings, times as ISO-8601 instants, durations in named units such as {@code
 * activationIntervalMinutes}).
 */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static String text(ObjectNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code kmsj status --json}: identity, counts per application, counters and clients. */
  static ObjectNode status(
      HostState state,
      Optional<RequestCountersSnapshot> counters,
      ProductCatalog catalog,
      Instant now,
      int maxClients) {
    ObjectNode root = object();
    root.put("asOf", now.truncatedTo(ChronoUnit.SECONDS).toString());
    root.put("running", counters.isPresent());
    root.put("hwid", state.identity().hwid().toHex().toUpperCase(Locale.ROOT));
    ObjectNode epids = root.putObject("ePids");
    state.identity().ePids().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> epids.put(e.getKey(), e.getValue().format()));
    ArrayNode apps = root.putArray("applications");
    LedgerState ledger = state.ledger();
    for (LedgerState.Application app : ledger.applications()) {
      ObjectNode a = apps.addObject();
      a.put("applicationId", app.applicationId().toString());
      a.put("name", catalog.application(app.applicationId()).map(x -> x.name()).orElse(null));
      a.put("count", ledger.count(app.applicationId()));
      a.put("capacity", ClientLedger.capacityFor(app.highestPolicy()));
    }
    if (counters.isPresent()) {
      RequestCountersSnapshot c = counters.get();
      ObjectNode n = root.putObject("requests");
      n.put("total", c.totalRequests());
      n.put("failed", c.failedRequests());
      n.put("licensed", c.licensedRequests());
      n.put("unlicensed", c.unlicensedRequests());
      n.put("oobGrace", c.oobGraceRequests());
      n.put("ootGrace", c.ootGraceRequests());
      n.put("nonGenuineGrace", c.nonGenuineGraceRequests());
      n.put("notification", c.notificationRequests());
      n.put("extendedGrace", c.extendedGraceRequests());
      n.put("unknownStatus", c.unknownStatusRequests());
    } else {
      root.putNull("requests");
    }
    root.put("clientCount", state.clients().size());
    ArrayNode clients = root.putArray("clients");
    state.clients().stream()
        .sorted(Comparator.comparing(ClientRecord::lastSeen).reversed())
        .limit(maxClients)
        .forEach(
            c -> {
              ObjectNode o = clients.addObject();
              o.put("cmid", c.cmid().toString());
              o.put("workstationName", c.workstationName());
              o.put("applicationId", c.applicationId().toString());
              o.put("kmsCountedId", c.kmsCountedId().toString());
              o.put("product", productName(catalog, c.kmsCountedId()));
              o.put("firstSeen", c.firstSeen().toString());
              o.put("lastSeen", c.lastSeen().toString());
              o.put("requestCount", c.requestCount());
            });
    return root;
  }

  /** {@code {"Windows": 3}}-style counts, keyed by application ID, with names beside. */
  static ArrayNode counts(Map<Guid, Integer> counts, ProductCatalog catalog) {
    ArrayNode a = MAPPER.createArrayNode();
    counts.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(Comparator.comparing(Guid::toString)))
        .forEach(
            e -> {
              ObjectNode o = a.addObject();
              o.put("applicationId", e.getKey().toString());
              o.put("name", catalog.application(e.getKey()).map(x -> x.name()).orElse(null));
              o.put("count", e.getValue());
            });
    return a;
  }

  private static String productName(ProductCatalog catalog, Guid id) {
    return catalog.kmsCountedId(id).map(p -> p.name()).orElse(null);
  }
}
