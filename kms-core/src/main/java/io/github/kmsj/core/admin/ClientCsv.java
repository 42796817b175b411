package io.github.kmsj.core.admin;

import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.ledger.ClientRecord;
import java.io.Writer;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Client records as CSV, one header line and one line per record, so that the CLI and the HTTP API
 * write the same columns: {@value #HEADER}. Names come from the catalog, empty when it lacks the
 * ID; lists ({@code workstationNames}, {@code addresses}) are joined with {@code ;}.
 */
public final class ClientCsv {
  /** The header line's columns. */
  public static final String HEADER =
      "cmid,applicationId,application,workstationName,skuId,sku,kmsCountedId,product,"
          + "licenseStatus,requiredClientCount,remoteAddress,remotePort,firstSeen,lastSeen,"
          + "requestCount,inCount,workstationNames,addresses";

  private ClientCsv() {}

  /** Writes the header and {@code clients} to {@code out}, which stays open. */
  public static void write(List<ClientRecord> clients, ProductCatalog catalog, Writer out) {
    CsvWriter csv = new CsvWriter(out);
    csv.record(List.of(HEADER.split(",")));
    for (ClientRecord c : clients) {
      csv.record(row(c, catalog));
    }
  }

  /** One record's fields, in {@link #HEADER} order. */
  static List<String> row(ClientRecord c, ProductCatalog catalog) {
    List<String> r = new ArrayList<>(18);
    r.add(c.cmid().toString());
    r.add(c.applicationId().toString());
    r.add(catalog.application(c.applicationId()).map(a -> a.name()).orElse(""));
    r.add(c.workstationName());
    r.add(c.skuId().toString());
    r.add(catalog.sku(c.skuId()).map(s -> s.name()).orElse(""));
    r.add(c.kmsCountedId().toString());
    r.add(catalog.kmsCountedId(c.kmsCountedId()).map(p -> p.name()).orElse(""));
    r.add(Integer.toString(c.licenseStatus().value()));
    r.add(Integer.toString(c.requiredClientCount()));
    r.add(
        c.remote()
            .map(a -> a.getAddress() == null ? "" : a.getAddress().getHostAddress())
            .orElse(""));
    r.add(c.remote().map(a -> Integer.toString(a.getPort())).orElse(""));
    r.add(c.firstSeen().toString());
    r.add(c.lastSeen().toString());
    r.add(Long.toString(c.requestCount()));
    r.add(Boolean.toString(c.inCount()));
    r.add(String.join(";", c.workstationNames()));
    r.add(c.addresses().stream().map(InetAddress::getHostAddress).collect(Collectors.joining(";")));
    return r;
  }
}
