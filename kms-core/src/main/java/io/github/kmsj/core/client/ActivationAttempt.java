package io.github.kmsj.core.client;

import io.github.kmsj.core.host.KmsHost;
import java.time.Instant;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * One activation or renewal attempt made by a {@link ClientLifecycle} at a given time: a real
 * {@link KmsClient}, a host in the same JVM, or a scripted answer in a test.
 */
@FunctionalInterface
public interface ActivationAttempt {

  /**
   * Attempts activation at {@code now}.
   *
   * @param now the time of the attempt
   * @param current the lifecycle before the attempt; its licence status and binding expiration
   *     belong in the request
   */
  ActivationResult attempt(Instant now, LifecycleSnapshot current);

  /**
   * Attempts through {@code client} to {@code target}, sending {@code request} with the lifecycle's
   * licence status and binding expiration. The client stamps the request with its own clock; give
   * it the lifecycle's scheduler as its clock (a {@link io.github.kmsj.core.time.Scheduler} is an
   * {@link java.time.InstantSource}).
   */
  static ActivationAttempt of(KmsClient client, Target target, ActivationRequest request) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(request, "request");
    return (now, current) ->
        client.activate(
            target,
            request.withStatus(
                current.state().licenseStatus(), current.bindingExpirationMinutes(now)));
  }

  /**
   * Attempts against {@code host} in this JVM with {@link InProcessActivation}, both clocks at
   * {@code now}.
   */
  static ActivationAttempt inProcess(
      KmsHost host, ActivationRequest request, RandomGenerator random) {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(random, "random");
    return (now, current) ->
        InProcessActivation.activate(
            host,
            request.withStatus(
                current.state().licenseStatus(), current.bindingExpirationMinutes(now)),
            now,
            random);
  }
}
