package io.github.kmsj.core.transport;

/**
 * An intrusive queue of an event loop's connections in the order of a tick that only grows (when
 * accepted, when its last PDU arrived, when its current PDU began): adding at the tail, removing
 * anywhere and reading the oldest are O(1), so a deadline sweep and an eviction look at the head
 * only. Each connection carries its own {@link Node} per queue: no allocation per move.
 *
 * <p>Owned by one event loop thread.
 */
final class TickQueue<T> {
  private Node<T> head;
  private Node<T> tail;
  private int size;

  /** One element's place in at most one queue at a time. */
  static final class Node<T> {
    final T value;

    /** The ticker reading that placed it in its queue. */
    long tick;

    private Node<T> prev;
    private Node<T> next;
    private TickQueue<T> owner;

    Node(T value) {
      this.value = value;
    }

    /** The next younger node of the same queue, or null. */
    Node<T> next() {
      return next;
    }

    /** Whether the node is in {@code queue}. */
    boolean isIn(TickQueue<T> queue) {
      return owner == queue;
    }

    /** Takes the node out of whichever queue holds it. */
    void unlink() {
      if (owner != null) {
        owner.remove(this);
      }
    }
  }

  /**
   * Moves {@code node} (out of any queue) to the tail with {@code tick}; the caller passes ticks
   * that never decrease, which keeps the queue sorted.
   */
  void addLast(Node<T> node, long tick) {
    node.unlink();
    node.tick = tick;
    node.owner = this;
    node.prev = tail;
    node.next = null;
    if (tail == null) {
      head = node;
    } else {
      tail.next = node;
    }
    tail = node;
    size++;
  }

  private void remove(Node<T> node) {
    if (node.prev == null) {
      head = node.next;
    } else {
      node.prev.next = node.next;
    }
    if (node.next == null) {
      tail = node.prev;
    } else {
      node.next.prev = node.prev;
    }
    node.prev = null;
    node.next = null;
    node.owner = null;
    size--;
  }

  /** The oldest node, or null when empty. */
  Node<T> first() {
    return head;
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }
}
