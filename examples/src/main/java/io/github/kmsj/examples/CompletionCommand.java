package io.github.kmsj.examples;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;

/**
 * {@code kmsj completion bash}: the shell completion script picocli generates from the commands
 * themselves. It works in bash and in zsh (after {@code autoload -U +X bashcompinit &&
 * bashcompinit}).
 */
@Command(
    name = "completion",
    description = {
      "Print a completion script: source <(kmsj completion bash)",
      "zsh: autoload -U +X compinit && compinit; autoload -U +X bashcompinit && bashcompinit;"
          + " source <(kmsj completion zsh)"
    })
final class CompletionCommand implements Callable<Integer> {
  @CommandLine.Spec CommandSpec spec;

  @Parameters(paramLabel = "SHELL", description = "bash or zsh", arity = "0..1")
  String shell = "bash";

  @Override
  public Integer call() {
    if (!shell.equals("bash") && !shell.equals("zsh")) {
      throw new UsageException("SHELL must be bash or zsh: " + shell);
    }
    spec.commandLine().getOut().print(AutoComplete.bash("kmsj", spec.root().commandLine()));
    spec.commandLine().getOut().flush();
    return Kmsj.OK;
  }
}
