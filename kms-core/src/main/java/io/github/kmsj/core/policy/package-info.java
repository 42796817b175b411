/**
 * The host's rules as a pure function: {@link io.github.kmsj.core.policy.HostPolicy} turns a
 * decoded request and the host's time into a {@link io.github.kmsj.core.policy.Decision}, with no
 * lock, store or clock, so every rule is testable on its own.
 */
package io.github.kmsj.core.policy;
