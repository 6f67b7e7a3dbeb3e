package io.vigil.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Builds ServerOptions exactly as the command line would, for in-process servers in tests. */
final class TestServers {
  private TestServers() {}

  static ServerOptions options(Path dataRoot, String... extraArgs) {
    List<String> args = new ArrayList<>(List.of(
        "--web.listen-address=127.0.0.1:0",
        "--storage.tsdb.path=" + dataRoot.resolve("data")));
    args.addAll(List.of(extraArgs));
    ServerCommand cmd = new ServerCommand();
    new CommandLine(cmd).parseArgs(args.toArray(String[]::new));
    return cmd.toOptions();
  }
}
