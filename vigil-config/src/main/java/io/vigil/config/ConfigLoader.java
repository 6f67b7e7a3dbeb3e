package io.vigil.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Loads Prometheus-compatible configuration files. Every problem in a file is reported, not just the
 * first, each as {@code file:line:column: field.path: message} (see {@link ConfigError}); a file with
 * any error is rejected as a whole, so a running server can keep its old configuration.
 *
 * <p>Relative file names inside the configuration (rule files, file discovery, credentials, TLS
 * files, the query log) are resolved against the directory of the loaded file, as Prometheus does.
 * Instances are immutable and thread-safe.
 */
public final class ConfigLoader {
  /** Name used in messages about the built-in configuration. */
  public static final String DEFAULT_CONFIG_SOURCE = "<default config>";

  private static final String DEFAULT_CONFIG_RESOURCE = "default-config.yml";

  /**
   * @param limits bounds on document size and alias expansion
   * @param env environment lookup for {@code $VAR} in external labels; default {@code System::getenv}
   */
  public record Options(YamlTree.Limits limits, UnaryOperator<String> env) {
    public static final Options DEFAULT = new Options(YamlTree.Limits.DEFAULT, System::getenv);
  }

  private final Options options;

  public ConfigLoader() {
    this(Options.DEFAULT);
  }

  public ConfigLoader(Options options) {
    this.options = options;
  }

  /**
   * Loads and validates a file. Error positions name the file as {@code file.toString()}.
   *
   * @throws ConfigException when the file is not a valid configuration (every error found)
   * @throws IOException when the file cannot be read
   */
  public Config load(Path file) throws ConfigException, IOException {
    String source = file.toString();
    String text = readText(file, source, options.limits().maxChars());
    return parse(text, source, file.getParent());
  }

  /** Parses YAML text; relative paths inside stay as written. */
  public Config parse(String yaml, String sourceName) throws ConfigException {
    return parse(yaml, sourceName, null);
  }

  /**
   * Parses YAML text, resolving relative paths inside it against {@code baseDir} (null: leave them).
   *
   * @throws ConfigException with every error found
   */
  public Config parse(String yaml, String sourceName, Path baseDir) throws ConfigException {
    Problems problems = new Problems(sourceName);
    YamlNode root = YamlTree.read(yaml, problems, options.limits());
    Config config = Config.read(root, new ReadContext(problems, baseDir, options.env()));
    problems.throwIfErrors();
    return config;
  }

  /** Vigil's built-in configuration, used when no --config.file is given. */
  public static Config defaultConfig() {
    try {
      return new ConfigLoader().parse(defaultConfigYaml(), DEFAULT_CONFIG_SOURCE);
    } catch (ConfigException e) {
      throw new IllegalStateException("the built-in configuration is invalid: " + e.getMessage(), e);
    }
  }

  /**
   * The text of the built-in configuration: scrape Vigil's own /metrics on localhost:9090 every 15s
   * (job "vigil") and evaluate rules every 15s.
   */
  public static String defaultConfigYaml() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULT_CONFIG_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + DEFAULT_CONFIG_RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file as strict UTF-8, refusing files over the size limit before reading them. */
  static String readText(Path file, String source, int maxChars) throws IOException, ConfigException {
    long size = Files.size(file);
    // UTF-8 needs at least one byte per char: more bytes than 4 per char of the limit is surely too big.
    if (size > 4L * maxChars) {
      throw new ConfigException(List.of(new ConfigError(source, 0, 0, "",
          "file too large: " + size + " bytes")));
    }
    byte[] bytes = Files.readAllBytes(file);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ConfigException(List.of(new ConfigError(source, 0, 0, "", "file is not valid UTF-8")));
    }
  }
}
