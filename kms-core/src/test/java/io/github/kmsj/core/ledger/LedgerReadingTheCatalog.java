package io.github.kmsj.core.ledger;

import io.github.kmsj.core.catalog.ProductCatalog;

/**
 * Breaks the ledger's layering on purpose (the ledger may not know the catalog), for {@code
 * ArchitectureViolationsTest}: the rule of a package with no main classes yet must still fail.
 */
final class LedgerReadingTheCatalog {
  ProductCatalog catalog;
}
