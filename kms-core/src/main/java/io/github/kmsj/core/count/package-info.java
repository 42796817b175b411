/**
 * Activation counting as a genuine KMS host does it: one table of client machine IDs (CMIDs) per
 * application ID, a 30-day activity window and a capacity of twice the highest N policy seen
 * (PROTOCOL.md §10).
 *
 * <p>Nothing here reads a clock: every call takes the {@code Instant now} that the host read once
 * for the request. {@link io.github.kmsj.core.count.ActivationCounter} has a single writer (the
 * host calls it under a lock); {@link io.github.kmsj.core.count.CounterSnapshot} values are
 * immutable and can be handed to any thread.
 */
package io.github.kmsj.core.count;
