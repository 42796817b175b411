package io.github.kmsj.examples;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The examples' entry point: {@code java -jar kmsj.jar COMMAND [options]} with the commands {@code
 * demo} (a host and a probe on loopback, nothing to configure), {@code host}, {@code probe} and
 * {@code dns}.
 */
public final class Kmsj {
  private static final String USAGE =
      """
      usage: kmsj COMMAND [options]      (COMMAND --help for its options)
        demo    start a host on loopback and activate clients against it until they reach the threshold
        host    run a KMS host (kmsj-host)
        probe   send activation requests to a host and print the answers (kmsj-probe)
        dns     list or publish _vlmcs._tcp SRV records (kmsj-dns)
        status  counts per application, counters and client records of a host's data directory
        export  write a host's whole state as JSON; import reads it into a new data directory
      """;

  private Kmsj() {}

  /** Runs a command; exits with its status (2 for a usage error, printed on one line). */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      out.print(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      switch (args[0]) {
        case "demo":
          return DemoCommand.run(rest, out);
        case "host":
          return HostCommand.run(rest, out);
        case "probe":
          return ProbeCommand.run(rest, out);
        case "dns":
          return DnsCommand.run(rest, out);
        case "status":
        case "export":
        case "import":
          return StateCommand.run(args[0], rest, out);
        default:
          err.println(
              "kmsj: unknown command '"
                  + args[0]
                  + "' (commands: demo, host, probe, dns, status, export, import)");
          return 2;
      }
    } catch (Args.UsageException e) {
      err.println("kmsj " + args[0] + ": " + e.getMessage());
      return 2;
    } catch (java.io.IOException e) {
      err.println("kmsj " + args[0] + ": " + e);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    } catch (RuntimeException e) {
      err.println("kmsj " + args[0] + ": " + e.getMessage());
      return 1;
    }
  }
}
