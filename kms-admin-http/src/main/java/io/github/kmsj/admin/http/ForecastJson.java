package io.github.kmsj.admin.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kmsj.core.admin.HostForecast;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.ledger.CloneDetection;
import io.github.kmsj.core.ledger.CountForecast;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * A {@link HostForecast} as JSON: the shape of {@code GET /api/forecast} and of {@code kmsj
 * forecast --json}, so both read alike.
 */
public final class ForecastJson {
  private ForecastJson() {}

  /** The forecast as one line of JSON text, application names from {@code catalog}. */
  public static String text(HostForecast forecast, ProductCatalog catalog) {
    try {
      return Exchange.JSON.writeValueAsString(write(forecast, catalog));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The forecast as one JSON object. */
  static ObjectNode write(HostForecast forecast, ProductCatalog catalog) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("asOf", forecast.asOf().toString());
    root.put("renewingDays", forecast.renewing().toDays());
    root.put("notSeenDays", forecast.notSeenFor().toDays());
    ArrayNode apps = root.putArray("applications");
    for (CountForecast.ApplicationForecast f : forecast.applications()) {
      ObjectNode a = apps.addObject();
      a.put("applicationId", f.applicationId().toString());
      a.put(
          "name",
          catalog
              .application(f.applicationId())
              .map(x -> x.name())
              .orElse(f.applicationId().toString()));
      a.put("count", f.count());
      a.put("renewing", f.renewing());
      ArrayNode ts = a.putArray("thresholds");
      for (CountForecast.Threshold t : f.thresholds()) {
        ObjectNode o = ts.addObject();
        o.put("threshold", t.threshold());
        o.put("alreadyBelow", t.alreadyBelow());
        o.put("fallsBelowAt", t.fallsBelowAt().map(Instant::toString).orElse(null));
        o.put("fallsBelowOn", t.fallsBelowOn().map(Object::toString).orElse(null));
      }
    }
    ArrayNode r = root.putArray("notSeen");
    for (CountForecast.AtRisk x : forecast.notSeen()) {
      ObjectNode o = r.addObject();
      o.put("cmid", x.client().cmid().toString());
      o.put("workstationName", x.client().workstationName());
      o.put("lastSeen", x.client().lastSeen().toString());
      o.put("validUntil", x.validUntil().toString());
    }
    ArrayNode c = root.putArray("clones");
    for (CloneDetection.SuspectedClone x : forecast.clones()) {
      ObjectNode o = c.addObject();
      o.put("cmid", x.cmid().toString());
      o.put("applicationId", x.applicationId().toString());
      ArrayNode names = o.putArray("workstationNames");
      x.workstationNames().forEach(names::add);
      ArrayNode addresses = o.putArray("addresses");
      x.addresses().forEach(a -> addresses.add(a.getHostAddress()));
    }
    return root;
  }
}
