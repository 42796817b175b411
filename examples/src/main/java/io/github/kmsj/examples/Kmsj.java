package io.github.kmsj.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The examples' entry point, {@code kmsj COMMAND [options]}: one picocli command with a subcommand
 * per program. Every error is one line on stderr, {@code kmsj COMMAND: message}, and the exit
 * status is one of {@link #EXIT_CODES}.
 */
@Command(
    name = "kmsj",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = Kmsj.Version.class,
    usageHelpAutoWidth = true,
    sortOptions = false,
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      " 0:success (every probe answered, activated or below threshold)",
      " 1:failure (an I/O error, a DNS lookup or update failed, a store could not be opened)",
      " 2:usage (bad arguments or configuration)",
      " 3:refused (a host answered with an error HRESULT; migrate check, dns check, epid decode:"
          + " a check failed)",
      " 4:no host found (discovery found no host that answered; each candidate's failure is"
          + " printed)",
      " 5:transport or validation failure (the host given by address refused the connection or"
          + " timed out, or a response failed verification)"
    },
    description =
        "An SDK for Microsoft's KMS activation protocol: host, probe, DNS and state tools.",
    subcommands = {
      DemoCommand.class,
      HostCommand.class,
      AdminCommand.class,
      ProbeCommand.class,
      DnsCommand.class,
      MigrateCommand.class,
      EpidCommand.class,
      ForecastCommand.class,
      SimulateCommand.class,
      StateCommand.Status.class,
      StateCommand.Export.class,
      StateCommand.Import.class,
      CatalogCommand.Products.class,
      CatalogCommand.Groups.class,
      CatalogTools.class,
      CompletionCommand.class
    })
public final class Kmsj implements Runnable {
  /** Every request answered (activated or below threshold), or the command succeeded. */
  static final int OK = 0;

  /** An I/O error, a failed DNS lookup or update, a store that could not be opened. */
  static final int FAILED = 1;

  /** Bad arguments or configuration. */
  static final int USAGE = 2;

  /** A host answered with an error HRESULT. */
  static final int REFUSED = 3;

  /** Discovery found no host that answered. */
  static final int NO_HOST = 4;

  /** The connection was refused or timed out, or a response failed verification. */
  static final int TRANSPORT = 5;

  private static final Pattern NEGATIVE_NUMBER = Pattern.compile("-\\d+(\\.\\d+)?");

  @CommandLine.Spec CommandSpec spec;

  Kmsj() {}

  /** Runs a command and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a command with the given streams and returns its exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    PrintWriter o = new PrintWriter(out, true, StandardCharsets.UTF_8);
    PrintWriter e = new PrintWriter(err, true, StandardCharsets.UTF_8);
    CommandLine cl = commandLine(o, e);
    if (args.length == 0) {
      cl.usage(o);
      return USAGE;
    }
    try {
      HostCommand.applyConfig(cl, args);
      return cl.execute(args);
    } catch (UsageException ex) {
      e.println("kmsj host: " + ex.getMessage());
      return USAGE;
    } finally {
      o.flush();
      e.flush();
    }
  }

  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Kmsj());
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler(Kmsj::parameterError);
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parsed) -> failure(ex, commandLine.getErr(), commandLine));
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  private static int parameterError(ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println(prefix(cl) + ": " + parameterMessage(ex));
    return USAGE;
  }

  private static String parameterMessage(ParameterException ex) {
    CommandSpec spec = ex.getCommandLine().getCommandSpec();
    if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String arg = u.getUnmatched().get(0);
      if (spec.parent() == null && !spec.subcommands().isEmpty() && !arg.startsWith("-")) {
        return "unknown command '"
            + arg
            + "' (commands: "
            + String.join(", ", spec.subcommands().keySet())
            + ")";
      }
      if (NEGATIVE_NUMBER.matcher(arg).matches()) {
        String expected =
            spec.positionalParameters().isEmpty()
                ? "an option"
                : spec.positionalParameters().get(0).paramLabel();
        return "expected " + expected + ", not the negative number " + arg;
      }
      if (arg.startsWith("-")) {
        return "unknown option " + arg + " (see --help)";
      }
      return "unexpected argument " + arg + " (see --help)";
    }
    return oneLine(ex.getMessage());
  }

  /**
   * Prints an execution failure on one line and returns its status: 2 for a {@link UsageException},
   * 1 otherwise.
   */
  static int failure(Exception ex, PrintWriter err, CommandLine cl) {
    if (ex instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return 130;
    }
    err.println(prefix(cl) + ": " + describe(ex));
    return ex instanceof UsageException ? USAGE : FAILED;
  }

  /** {@code kmsj host} for the host command, {@code kmsj dns list} for a nested one. */
  private static String prefix(CommandLine cl) {
    return cl.getCommandSpec().qualifiedName(" ");
  }

  /** A one-line message for any exception: its message, else its cause's, else its kind. */
  static String describe(Throwable t) {
    Throwable cur = t;
    if (cur instanceof UncheckedIOException && cur.getCause() != null) {
      cur = cur.getCause();
    }
    while (cur != null) {
      if (cur.getMessage() != null && !cur.getMessage().isBlank()) {
        String m = oneLine(cur.getMessage());
        return cur instanceof IOException && !(cur instanceof java.nio.file.FileSystemException)
            ? m
            : cur instanceof java.nio.file.NoSuchFileException
                ? "no such file: " + m
                : cur instanceof java.nio.file.AccessDeniedException
                    ? "permission denied: " + m
                    : m;
      }
      cur = cur.getCause();
    }
    return t.getClass().getSimpleName().replaceAll("(?<=[a-z])(?=[A-Z])", " ").toLowerCase();
  }

  private static String oneLine(String s) {
    return s.strip().replaceAll("\\s*\\R\\s*", "; ");
  }

  /** The Maven project version, from {@code version.properties} filtered at build time. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"kmsj " + version()};
    }

    static String version() {
      Properties p = new Properties();
      try (InputStream in = Kmsj.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return p.getProperty("version", "unknown");
    }
  }
}
