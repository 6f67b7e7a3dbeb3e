package io.vigil.server;

import io.vigil.config.Config;
import io.vigil.config.ConfigError;
import io.vigil.config.ConfigException;
import io.vigil.config.ConfigLoader;
import io.vigil.promql.parser.ParserOptions;
import io.vigil.rules.RuleChecker;
import io.vigil.rules.RuleFiles;
import java.io.PrintStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil check ...}: offline validation with promtool's output shape and exit codes. */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Check the validity of configuration files.",
    subcommands = {CheckCommand.ConfigFiles.class, CheckCommand.RuleFilesCheck.class})
final class CheckCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  @Command(name = "config", mixinStandardHelpOptions = true, description = "Check if the config files are valid or not.")
  static final class ConfigFiles implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The config files to check.")
    List<Path> files;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      int exit = 0;
      for (Path file : files) {
        if (!Files.exists(file)) {
          err.println("vigil: error: path '" + file + "' does not exist, try --help");
          return Main.USAGE_ERROR;
        }
      }
      for (Path file : files) {
        out.println("Checking " + file);
        try {
          Config config = new ConfigLoader().load(file);
          for (ConfigError w : config.warnings()) {
            err.println("  WARNING: " + w);
          }
          for (String w : UnsupportedSettings.of(config)) {
            err.println("  WARNING: " + w);
          }
          List<Path> ruleFiles = RuleFiles.expand(config.ruleFiles());
          if (!ruleFiles.isEmpty()) {
            out.println("  SUCCESS: " + ruleFiles.size() + " rule files found");
          }
          out.println(" SUCCESS: " + file + " is valid prometheus config file syntax");
          out.println();
          out.flush();
          // As promtool does: the rule files a config names are checked right after it.
          if (new RuleChecker(ParserOptions.DEFAULT).check(ruleFiles, new PrintStream(new WriterOutputStream(out), true),
              new PrintStream(new WriterOutputStream(err), true)) != RuleChecker.SUCCESS) {
            exit = 1;
          }
          continue;
        } catch (ConfigException e) {
          for (ConfigError error : e.errors()) {
            err.println("  FAILED: " + error);
          }
          exit = 1;
        } catch (IOException e) {
          err.println("  FAILED: " + e.getMessage());
          exit = 1;
        }
        out.println();
      }
      out.flush();
      err.flush();
      return exit;
    }
  }

  @Command(name = "rules", mixinStandardHelpOptions = true,
      description = "Check if the rule files are valid or not (promtool's output and exit codes).")
  static final class RuleFilesCheck implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The rule files to check.")
    List<Path> files;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      for (Path file : files) {
        if (!Files.exists(file)) {
          err.println("vigil: error: path '" + file + "' does not exist, try --help");
          return Main.USAGE_ERROR;
        }
      }
      int exit = new RuleChecker(ParserOptions.DEFAULT).check(files, new PrintStream(new WriterOutputStream(out), true),
          new PrintStream(new WriterOutputStream(err), true));
      out.flush();
      err.flush();
      return exit;
    }
  }

  /** Lets the rule checker, which prints to PrintStreams, write into picocli's PrintWriters. */
  private static final class WriterOutputStream extends java.io.OutputStream {
    private final PrintWriter writer;
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

    WriterOutputStream(PrintWriter writer) {
      this.writer = writer;
    }

    @Override
    public void write(int b) {
      line.write(b);
      if (b == '\n') {
        flush();
      }
    }

    @Override
    public void flush() {
      writer.print(line.toString(java.nio.charset.StandardCharsets.UTF_8));
      writer.flush();
      line.reset();
    }
  }
}
