/**
 * The KMS client: {@link io.github.kmsj.core.client.KmsClient} sends activation requests to a
 * configured host or to the hosts a {@link io.github.kmsj.core.client.KmsHostLocator} finds, checks
 * each answer as vlmcs does and judges it as Windows does, returning a sealed {@link
 * io.github.kmsj.core.client.ActivationResult} with per-stage timings (docs/PROTOCOL.md §2, §6.8,
 * §7, §10). {@link io.github.kmsj.core.client.ClientLifecycle} is the client's licence state
 * machine (grace, licensed, notification); its timers run on a {@link
 * io.github.kmsj.core.time.Scheduler}, which a test replaces with the hand-stepped {@link
 * io.github.kmsj.core.time.ManualScheduler}.
 *
 * <p>This package never depends on DNS libraries: SRV discovery lives in kms-dns and plugs in
 * through {@code KmsHostLocator}.
 */
package io.github.kmsj.core.client;
