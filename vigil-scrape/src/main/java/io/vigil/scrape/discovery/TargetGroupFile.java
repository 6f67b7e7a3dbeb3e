package io.vigil.scrape.discovery;

import io.vigil.model.LabelNames;
import io.vigil.model.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads one file_sd file: a JSON or YAML list of {@code {targets: [...], labels: {...}}} objects
 * (Prometheus's file_sd format; the extension decides the syntax). Each group's source is
 * {@code path:index} and its labels gain {@code __meta_filepath}. Unknown fields are ignored as in
 * Prometheus; wrong types, invalid label names, null items and oversized files are errors.
 */
public final class TargetGroupFile {
  /** Largest file read. Generated target files with tens of thousands of targets stay far below. */
  public static final long MAX_FILE_BYTES = 64L << 20;

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final ObjectMapper YAML = YAMLMapper.builder().build();

  private TargetGroupFile() {}

  /**
   * The groups in {@code file}.
   *
   * @throws IOException when the file cannot be read, or with a message naming the file and the
   *     problem when its content is invalid
   */
  public static List<TargetGroup> read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_FILE_BYTES) {
      throw new IOException(file + ": file too large (" + size + " bytes, limit " + MAX_FILE_BYTES + ")");
    }
    byte[] bytes = Files.readAllBytes(file);
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean json = name.endsWith(".json");
    JsonNode root;
    try {
      if (!json && isBlank(bytes)) {
        return List.of(); // an empty YAML document holds no groups
      }
      root = (json ? JSON : YAML).readTree(bytes);
    } catch (JacksonException e) {
      // Jackson's message may name a redacted source; the file name and position say it better.
      String msg = e.getOriginalMessage().replaceAll(" ?\\(start marker at \\[Source: [^]]*\\][^)]*\\)", "");
      throw new IOException(file + ": " + msg
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ")"), e);
    }
    if (root == null || root.isNull() || root.isMissingNode()) {
      if (json) {
        throw new IOException(file + ": empty JSON document");
      }
      return List.of();
    }
    if (!root.isArray()) {
      throw new IOException(file + ": expected a list of target groups, found " + root.getNodeType());
    }
    String path = file.toString();
    List<TargetGroup> groups = new ArrayList<>(root.size());
    for (int i = 0; i < root.size(); i++) {
      groups.add(group(root.get(i), path, i));
    }
    return groups;
  }

  private static TargetGroup group(JsonNode n, String path, int index) throws IOException {
    String where = path + ": group " + index;
    if (n == null || n.isNull()) {
      throw new IOException(where + ": nil target group item found");
    }
    if (!n.isObject()) {
      throw new IOException(where + ": expected an object with targets and labels, found " + n.getNodeType());
    }
    List<Labels> targets = new ArrayList<>();
    JsonNode t = n.get("targets");
    if (t != null && !t.isNull()) {
      if (!t.isArray()) {
        throw new IOException(where + ": targets must be a list of strings");
      }
      for (JsonNode target : t) {
        if (!target.isValueNode() || target.isNull()) {
          throw new IOException(where + ": targets must be a list of strings, found " + target.getNodeType());
        }
        targets.add(Labels.of(TargetLabels.ADDRESS, target.asString()));
      }
    }
    Labels.Builder labels = new Labels.Builder();
    JsonNode l = n.get("labels");
    if (l != null && !l.isNull()) {
      if (!l.isObject()) {
        throw new IOException(where + ": labels must be a mapping of label names to values");
      }
      for (Map.Entry<String, JsonNode> e : l.properties()) {
        if (!LabelNames.isValidLabelName(e.getKey())) {
          throw new IOException(where + ": invalid name " + LabelNames.quote(e.getKey()));
        }
        JsonNode v = e.getValue();
        if (!v.isValueNode()) {
          throw new IOException(where + ": value of label " + e.getKey() + " must be a string");
        }
        labels.add(e.getKey(), v.isNull() ? "" : v.asString());
      }
    }
    labels.set(TargetLabels.META_FILEPATH, path);
    return new TargetGroup(path + ":" + index, targets, labels.build());
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }
}
