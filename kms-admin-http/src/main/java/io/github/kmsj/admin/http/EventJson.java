package io.github.kmsj.admin.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kmsj.core.host.RequestEvent;
import java.util.List;

/** Request events as the API's JSON: the fields of event 12290 and kmsj's own. */
final class EventJson {
  private EventJson() {}

  static ArrayNode events(List<RequestEvent> events) {
    ArrayNode out = Exchange.JSON.createArrayNode();
    for (RequestEvent e : events) {
      out.add(event(e));
    }
    return out;
  }

  static ObjectNode event(RequestEvent e) {
    ObjectNode o = Exchange.JSON.createObjectNode();
    o.put("time", e.time().toString());
    e.remote().ifPresent(r -> o.put("remote", r.getAddress().getHostAddress()));
    e.protocolVersion().ifPresent(v -> o.put("protocolVersion", v.major() + "." + v.minor()));
    e.workstationName().ifPresent(w -> o.put("workstationName", w));
    e.cmid().ifPresent(c -> o.put("cmid", c.toString()));
    e.applicationId().ifPresent(a -> o.put("applicationId", a.toString()));
    e.skuId().ifPresent(s -> o.put("skuId", s.toString()));
    e.kmsCountedId().ifPresent(k -> o.put("kmsCountedId", k.toString()));
    e.requiredClientCount().ifPresent(n -> o.put("requiredClientCount", n));
    e.licenseStatus().ifPresent(s -> o.put("licenseStatus", s.displayName()));
    e.bindingExpiration().ifPresent(m -> o.put("bindingExpirationMinutes", m));
    e.clientVm().ifPresent(vm -> o.put("clientVm", vm));
    o.put("hresult", String.format("0x%08X", e.hresult().value()));
    e.hresult().name().ifPresent(n -> o.put("hresultName", n));
    o.put("answered", e.isAnswered());
    o.put("currentCount", e.currentCount());
    e.groupId().ifPresent(g -> o.put("groupId", g));
    e.reason().ifPresent(r -> o.put("reason", r));
    o.put("processingMicros", e.processingTime().toNanos() / 1000);
    return o;
  }
}
