/**
 * What a host remembers, with no I/O and no clock: its {@link
 * io.github.kmsj.core.ledger.HostIdentity identity}, the {@link
 * io.github.kmsj.core.ledger.ClientLedger client ledger} that yields the count and the client list,
 * the {@link io.github.kmsj.core.ledger.HostChange changes} that build both, and their immutable
 * copies ({@link io.github.kmsj.core.ledger.LedgerState}, {@link
 * io.github.kmsj.core.ledger.HostState}). Host, store and export all depend on this package, and it
 * on none of them.
 */
package io.github.kmsj.core.ledger;
