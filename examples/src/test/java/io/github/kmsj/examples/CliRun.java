package io.github.kmsj.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs {@code kmsj} in-process, as its main does, and keeps what the last run printed. */
final class CliRun {
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** Runs {@code kmsj ARGS} after forgetting the previous run's output; returns its status. */
  int run(String... args) {
    out.reset();
    err.reset();
    return Kmsj.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  /** What the last run printed on stdout. */
  String outText() {
    return out.toString(StandardCharsets.UTF_8);
  }

  /** What the last run printed on stderr. */
  String errText() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
