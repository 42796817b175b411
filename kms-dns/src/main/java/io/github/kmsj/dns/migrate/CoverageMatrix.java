package io.github.kmsj.dns.migrate;

import io.github.kmsj.core.catalog.KmsCountedProduct;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.KmsClient;
import io.github.kmsj.core.client.KmsSession;
import io.github.kmsj.core.client.Target;
import io.github.kmsj.protocol.message.HResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Which KMS counted IDs of a catalog a host activates: one probe per ID, spread over a few
 * associations that each carry many requests, so the whole catalog takes well under a second on a
 * loopback host. Probes that failed are tried once more, one at a time.
 */
public final class CoverageMatrix {
  private CoverageMatrix() {}

  /** What a host did with one KMS counted ID. */
  public enum Outcome {
    /** Answered with a count: the host covers the product (activated or below threshold). */
    GRANTED,
    /** Refused with {@code 0xC004F042}: no host key of the host covers the product. */
    REFUSED,
    /** Anything else: another HRESULT, no answer, a failed check. */
    FAILED
  }

  /**
   * One cell of the matrix.
   *
   * @param product the KMS counted ID
   * @param outcome what the host did
   * @param result the whole answer
   */
  public record Cell(KmsCountedProduct product, Outcome outcome, ActivationResult result) {
    /** Checks. */
    public Cell {
      Objects.requireNonNull(product, "product");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(result, "result");
    }
  }

  /** The outcome an answer stands for. */
  public static Outcome outcome(ActivationResult result) {
    if (result instanceof ActivationResult.Activated
        || result instanceof ActivationResult.BelowThreshold) {
      return Outcome.GRANTED;
    }
    if (result instanceof ActivationResult.Refused r
        && r.hresult().equals(HResult.KMS_ID_MISMATCH)) {
      return Outcome.REFUSED;
    }
    return Outcome.FAILED;
  }

  /**
   * Probes every KMS counted ID of {@code catalog} on {@code target}, on {@code associations}
   * sessions run on {@code executor}; completes with the cells in catalog name order.
   */
  public static CompletableFuture<List<Cell>> probe(
      KmsClient client,
      Target target,
      ProductCatalog catalog,
      int associations,
      Executor executor) {
    if (associations < 1) {
      throw new IllegalArgumentException("associations must be at least 1: " + associations);
    }
    List<KmsCountedProduct> products = new ArrayList<>(catalog.kmsCountedIds());
    products.sort(Comparator.comparing(KmsCountedProduct::name));
    int n = Math.min(associations, Math.max(1, products.size()));
    List<CompletableFuture<List<Cell>>> parts = new ArrayList<>();
    for (int part = 0; part < n; part++) {
      List<KmsCountedProduct> slice = new ArrayList<>();
      for (int i = part; i < products.size(); i += n) {
        slice.add(products.get(i));
      }
      parts.add(
          CompletableFuture.supplyAsync(
              () -> probeSlice(client, target, catalog, slice), executor));
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              List<Cell> cells = new ArrayList<>(products.size());
              parts.forEach(p -> cells.addAll(p.join()));
              return retryFailed(client, target, catalog, cells);
            });
  }

  /**
   * Probes the failed cells again, one after another on one association: some hosts (py-kms) drop
   * connections or garble answers only under concurrent associations, and a product must not look
   * lost for that.
   */
  private static List<Cell> retryFailed(
      KmsClient client, Target target, ProductCatalog catalog, List<Cell> cells) {
    List<KmsCountedProduct> failed =
        cells.stream().filter(c -> c.outcome() == Outcome.FAILED).map(Cell::product).toList();
    List<Cell> out = new ArrayList<>(cells.size());
    if (failed.isEmpty() || failed.size() == cells.size()) {
      out.addAll(cells);
    } else {
      List<Cell> retried = probeSlice(client, target, catalog, failed);
      cells.stream().filter(c -> c.outcome() != Outcome.FAILED).forEach(out::add);
      out.addAll(retried);
    }
    out.sort(Comparator.comparing(c -> c.product().name()));
    return out;
  }

  private static List<Cell> probeSlice(
      KmsClient client, Target target, ProductCatalog catalog, List<KmsCountedProduct> slice) {
    List<Cell> cells = new ArrayList<>(slice.size());
    try (KmsSession session = client.open(target)) {
      for (KmsCountedProduct p : slice) {
        ActivationResult r = session.activate(ProbeRequests.forProduct(catalog, p).build());
        cells.add(new Cell(p, outcome(r), r));
      }
    }
    return cells;
  }
}
