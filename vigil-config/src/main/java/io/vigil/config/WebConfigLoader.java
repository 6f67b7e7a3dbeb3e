package io.vigil.config;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads web configuration files ({@code --web.config.file}) with the same error reporting as
 * {@link ConfigLoader}: every problem, each as {@code file:line:column: field.path: message}.
 * Relative file names (certificates, keys, CAs) are resolved against the file's directory.
 * Thread-safe.
 */
public final class WebConfigLoader {
  private final YamlTree.Limits limits;

  public WebConfigLoader() {
    this(YamlTree.Limits.DEFAULT);
  }

  public WebConfigLoader(YamlTree.Limits limits) {
    this.limits = limits;
  }

  /**
   * @throws ConfigException with every error found
   * @throws IOException when the file cannot be read
   */
  public WebConfig load(Path file) throws ConfigException, IOException {
    String source = file.toString();
    return parse(ConfigLoader.readText(file, source, limits.maxChars()), source, file.getParent());
  }

  public WebConfig parse(String yaml, String sourceName) throws ConfigException {
    return parse(yaml, sourceName, null);
  }

  /** @param baseDir directory to resolve relative paths against, or null to leave them */
  public WebConfig parse(String yaml, String sourceName, Path baseDir) throws ConfigException {
    Problems problems = new Problems(sourceName);
    YamlNode root = YamlTree.read(yaml, problems, limits);
    WebConfig config = WebConfig.read(root, new ReadContext(problems, baseDir, name -> null));
    problems.throwIfErrors();
    return config;
  }
}
