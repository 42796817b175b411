package io.github.kmsj.core.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

final class TickQueueTest {

  @Test
  void addLast_movesBetweenQueues_keepsTickOrderAndSizes() {
    TickQueue<String> unbound = new TickQueue<>();
    TickQueue<String> bound = new TickQueue<>();
    TickQueue.Node<String> a = new TickQueue.Node<>("a");
    TickQueue.Node<String> b = new TickQueue.Node<>("b");
    TickQueue.Node<String> c = new TickQueue.Node<>("c");
    unbound.addLast(a, 1);
    unbound.addLast(b, 2);
    unbound.addLast(c, 3);
    bound.addLast(b, 4); // b binds: out of unbound, into bound

    assertEquals("a", unbound.first().value);
    assertEquals("c", unbound.first().next().value);
    assertNull(unbound.first().next().next());
    assertEquals(2, unbound.size());
    assertTrue(b.isIn(bound));
    assertFalse(b.isIn(unbound));

    bound.addLast(a, 5);
    bound.addLast(b, 6); // b speaks again: to the tail
    assertEquals("a", bound.first().value);
    assertEquals(6, bound.first().next().tick);
    c.unlink();
    a.unlink();
    b.unlink();
    assertTrue(unbound.isEmpty());
    assertTrue(bound.isEmpty());
    assertNull(bound.first());
    b.unlink(); // unlinking twice is harmless
    assertEquals(0, bound.size());
  }
}
