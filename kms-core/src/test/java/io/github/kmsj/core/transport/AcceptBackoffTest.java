package io.github.kmsj.core.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.protocol.rpc.BindAckPdu;
import io.github.kmsj.protocol.rpc.ClientAssociation;
import io.github.kmsj.protocol.rpc.ClientRpcOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * When accept itself fails (the process is out of file descriptors) the server stops accepting for
 * {@code KmsServer.ACCEPT_BACKOFF} on its injected scheduler instead of spinning, and accepts again
 * only once that time has passed: here a child JVM with a low descriptor limit, stepped by hand.
 */
final class AcceptBackoffTest {

  @Test
  void acceptFails_backsOffOnTheManualTicker_acceptsAgainOnlyAfterTheStep() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String command =
        "ulimit -n 512 && exec '"
            + java
            + "' -XX:TieredStopAtLevel=1 -cp '"
            + System.getProperty("java.class.path")
            + "' "
            + AcceptBackoffChild.class.getName();
    Process child = new ProcessBuilder("sh", "-c", command).start();
    LinkedBlockingQueue<String> log = new LinkedBlockingQueue<>();
    Thread errors =
        new Thread(
            () -> {
              try (BufferedReader err =
                  new BufferedReader(
                      new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String l = err.readLine(); l != null; l = err.readLine()) {
                  log.add(l);
                }
              } catch (IOException e) {
                log.add("stderr: " + e);
              }
            });
    errors.setDaemon(true);
    errors.start();
    List<RawKmsClient> held = new ArrayList<>();
    try (BufferedReader out =
            new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        PrintStream commands =
            new PrintStream(child.getOutputStream(), true, StandardCharsets.UTF_8)) {
      String first = out.readLine();
      assertTrue(first != null && first.startsWith("PORT "), "child started: " + first);
      InetSocketAddress address =
          new InetSocketAddress(
              InetAddress.getLoopbackAddress(), Integer.parseInt(first.substring(5)));
      // Fill the child's descriptor table: each accepted connection takes one.
      boolean failed = false;
      for (int i = 0; i < 600 && !failed; i++) {
        RawKmsClient c = new RawKmsClient(address, ClientRpcOptions.WINDOWS);
        held.add(c);
        c.socket.setSoTimeout(2000);
        c.send(new ClientAssociation(ClientRpcOptions.WINDOWS).bind());
        try {
          assertInstanceOf(BindAckPdu.class, c.receive());
        } catch (IOException e) {
          failed = true; // not accepted: the child is out of descriptors
        }
      }
      assertTrue(failed, "the child ran out of descriptors within 600 connections");
      String warning = log.poll(10, TimeUnit.SECONDS);
      while (warning != null && !warning.contains("accepting again in 100 ms")) {
        warning = log.poll(10, TimeUnit.SECONDS);
      }
      assertTrue(warning != null, "the child logged the back-off");

      // Free descriptors in the child: it closes these connections when it sees them go.
      for (int i = 0; i < 20; i++) {
        held.remove(0).close();
      }
      RawKmsClient waiting = held.get(held.size() - 1); // the one that was never accepted
      waiting.socket.setSoTimeout(1500);
      assertThrows(
          SocketTimeoutException.class,
          waiting::receive,
          "no accept while the back-off has not passed on the manual ticker");

      commands.println("advance 100");
      assertEquals("OK", out.readLine());
      waiting.socket.setSoTimeout(10_000);
      assertInstanceOf(
          BindAckPdu.class, waiting.receive(), "accepted and answered once 100 ms passed");
    } finally {
      for (RawKmsClient c : held) {
        c.close();
      }
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
