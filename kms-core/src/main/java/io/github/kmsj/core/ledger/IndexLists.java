package io.github.kmsj.core.ledger;

import java.util.Arrays;

/**
 * Doubly linked lists of small integers (slot indices) kept in two {@code int} arrays, any number
 * of lists sharing them, each index in at most one list. Moving an index stores no object
 * reference: with G1 every reference stored into a long-lived object dirties a card that a
 * concurrent refinement thread must scan, and {@link ClientLedger} moves a slot to the tail of two
 * lists on every request.
 *
 * <p>Not thread-safe: owned by its ledger.
 */
final class IndexLists {
  /** No index: the end of a list, or an empty list's head and tail. */
  static final int NONE = -1;

  private int[] prev;
  private int[] next;

  /** The head and tail of one list. */
  static final class Ends {
    int head = NONE;
    int tail = NONE;

    void clear() {
      head = NONE;
      tail = NONE;
    }
  }

  IndexLists(int capacity) {
    prev = new int[capacity];
    next = new int[capacity];
  }

  /** Makes room for indices below {@code capacity}. */
  void grow(int capacity) {
    if (capacity > prev.length) {
      prev = Arrays.copyOf(prev, capacity);
      next = Arrays.copyOf(next, capacity);
    }
  }

  int next(int i) {
    return next[i];
  }

  int prev(int i) {
    return prev[i];
  }

  /** Appends {@code i}, in no list, to the tail of {@code list}. */
  void append(Ends list, int i) {
    prev[i] = list.tail;
    next[i] = NONE;
    if (list.tail == NONE) {
      list.head = i;
    } else {
      next[list.tail] = i;
    }
    list.tail = i;
  }

  /** Takes {@code i} out of {@code list}, which holds it. */
  void unlink(Ends list, int i) {
    int p = prev[i];
    int n = next[i];
    if (p == NONE) {
      list.head = n;
    } else {
      next[p] = n;
    }
    if (n == NONE) {
      list.tail = p;
    } else {
      prev[n] = p;
    }
    prev[i] = NONE;
    next[i] = NONE;
  }
}
