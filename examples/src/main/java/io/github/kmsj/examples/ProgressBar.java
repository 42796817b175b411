package io.github.kmsj.examples;

import java.io.PrintWriter;

/**
 * A one-line progress bar on stderr, redrawn with {@code \r} at most every 100 ms; silent unless
 * the program runs on a terminal.
 */
final class ProgressBar {
  private static final int WIDTH = 30;
  private final PrintWriter err;
  private final int total;
  private final boolean enabled;
  private long lastDraw;

  private ProgressBar(PrintWriter err, int total, boolean enabled) {
    this.err = err;
    this.total = total;
    this.enabled = enabled;
  }

  /** A bar for {@code total} steps, drawn only when {@code terminal} and there is more than one. */
  static ProgressBar forTerminal(PrintWriter err, int total, boolean terminal) {
    return new ProgressBar(err, total, terminal && total > 1);
  }

  void update(int done) {
    if (!enabled) {
      return;
    }
    long now = System.nanoTime();
    if (done < total && now - lastDraw < 100_000_000L) {
      return;
    }
    lastDraw = now;
    int filled = (int) ((long) WIDTH * done / total);
    err.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + done + "/" + total);
    err.flush();
  }

  void done() {
    if (enabled) {
      err.print("\r" + " ".repeat(WIDTH + 24) + "\r");
      err.flush();
    }
  }
}
