package io.github.kmsj.examples;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.kmsj.core.catalog.CatalogException;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.sim.ResultFiles;
import io.github.kmsj.sim.Scenario;
import io.github.kmsj.sim.ScenarioException;
import io.github.kmsj.sim.ScenarioReader;
import io.github.kmsj.sim.Simulation;
import io.github.kmsj.sim.SimulationResult;
import io.github.kmsj.sim.Validation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kmsj simulate SCENARIO}: runs a fleet scenario on a virtual clock (docs/SIMULATOR.md) and
 * prints a summary; {@code --out} writes the series, the summary and the plots.
 */
@Command(
    name = "simulate",
    sortOptions = false,
    description = {
      "Simulate a KMS deployment over months in seconds: fleets, hosts, SRV records and outages"
          + " from a YAML scenario (docs/SIMULATOR.md; examples/scenarios/), on kmsj's real host"
          + " and client logic. A progress bar runs on stderr when it is a terminal."
    })
final class SimulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SCENARIO", description = "the scenario file (YAML)")
  Path scenario;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "write series.csv, result.json, summary.json, counts.svg, states.svg and requests.svg"
              + " into DIR")
  Path out;

  @Option(names = "--json", description = "print the summary (and the files written) as JSON")
  boolean json;

  @Option(
      names = "--validate",
      description =
          "also run the scenario over real loopback sockets (a KmsServer per host, the real"
              + " KmsClient) and compare the two day by day; status 1 if they differ. For small"
              + " scenarios: every request is a TCP connection")
  boolean validate;

  @Option(
      names = "--catalog",
      paramLabel = "FILE",
      description = "extend the built-in catalog with this file, as kmsj host does")
  Path catalogFile;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ProductCatalog catalog;
    try {
      catalog =
          catalogFile == null
              ? ProductCatalog.builtIn()
              : ProductCatalog.builtIn().extend(catalogFile);
    } catch (CatalogException e) {
      throw new UsageException(e.getMessage());
    }
    Scenario s;
    try {
      s = ScenarioReader.read(scenario);
    } catch (ScenarioException e) {
      throw new UsageException(e.getMessage());
    }
    ProgressBar bar = ProgressBar.forTerminal(err, s.days(), System.console() != null);
    SimulationResult result;
    Validation.Report report = null;
    try {
      if (validate) {
        report = Validation.compare(s, catalog, (day, days) -> bar.update(day));
        result = report.simulated();
      } else {
        result = Simulation.run(s, catalog, (day, days) -> bar.update(day));
      }
    } catch (ScenarioException e) {
      throw new UsageException(e.getMessage());
    } finally {
      bar.done();
    }
    List<Path> files = out == null ? List.of() : ResultFiles.write(result, out);
    if (json) {
      ObjectNode root = Json.object();
      root.put("name", result.name());
      root.set("summary", Json.MAPPER.valueToTree(result.summary()));
      root.set("applications", Json.MAPPER.valueToTree(result.applications()));
      ArrayNode written = root.putArray("files");
      files.forEach(f -> written.add(f.toString()));
      if (report != null) {
        ObjectNode v = root.putObject("validation");
        v.put("agrees", report.agrees());
        v.put("samples", result.samples().size());
        v.put("differingSamples", report.differingSamples());
        ArrayNode d = v.putArray("differences");
        report.differences().forEach(d::add);
      }
      o.println(Json.text(root));
    } else {
      o.print(ResultFiles.text(result));
      if (!files.isEmpty()) {
        o.println("wrote " + files.size() + " files to " + out);
      }
      if (report != null) {
        if (report.agrees()) {
          o.println(
              "validation: the loopback run agrees with the simulator on all "
                  + result.samples().size()
                  + " samples");
        } else {
          o.println(
              "validation: "
                  + report.differingSamples()
                  + " of "
                  + result.samples().size()
                  + " samples differ");
          report.differences().forEach(d -> o.println("  " + d));
        }
      }
    }
    return report == null || report.agrees() ? Kmsj.OK : Kmsj.FAILED;
  }
}
