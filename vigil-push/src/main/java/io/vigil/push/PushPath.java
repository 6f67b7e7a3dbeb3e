package io.vigil.push;

import io.vigil.model.LabelNames;
import io.vigil.model.Labels;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses the grouping key of a push path, {@code /metrics/job/<job>{/<name>/<value>}}, with the
 * Pushgateway's rules and messages:
 *
 * <ul>
 *   <li>The path is split on {@code /} while still percent-encoded, then each segment is decoded, so
 *       {@code %2F} inside a value is a slash in the value, never a separator (the Pushgateway
 *       decodes first and then answers a redirect for {@code %2F}).
 *   <li>A name ending in {@code @base64} carries a base64url value (alphabet {@code -_}, padding
 *       optional), which is how clients send values with slashes or empty values.
 *   <li>An odd number of segments after the job, an invalid or {@code __}-reserved name, bad base64
 *       and an empty job are errors; a repeated name keeps the last value; a {@code job} pair after
 *       the first segment does not override the job.
 *   <li>Empty values mean no label (Vigil's rule, see {@link GroupingKey}).
 * </ul>
 */
final class PushPath {
  static final String PREFIX = "/metrics/";
  private static final String BASE64_SUFFIX = "@base64";

  private PushPath() {}

  /**
   * @param rawPath the request path as sent, percent-encoding intact; must start with
   *     {@code /metrics/job/} or {@code /metrics/job@base64/} (or be {@code /metrics/job})
   */
  static GroupingKey parse(String rawPath) throws PushRejectedException {
    if (!rawPath.startsWith(PREFIX)) {
      throw PushRejectedException.invalid("not a push path: " + rawPath);
    }
    String rest = rawPath.substring(PREFIX.length());
    int slash = rest.indexOf('/');
    String jobName = slash < 0 ? rest : rest.substring(0, slash);
    boolean jobBase64 = jobName.equals("job" + BASE64_SUFFIX);
    if (!jobBase64 && !jobName.equals("job")) {
      throw PushRejectedException.invalid("not a push path: " + rawPath);
    }
    String afterJob = slash < 0 ? "" : rest.substring(slash + 1);
    int next = afterJob.indexOf('/');
    String rawJob = next < 0 ? afterJob : afterJob.substring(0, next);
    String job = decodeValue("job", rawJob, jobBase64);
    if (job.isEmpty()) {
      throw PushRejectedException.invalid("job name is required");
    }
    Map<String, String> labels = next < 0 ? new LinkedHashMap<>() : splitLabels(afterJob.substring(next));
    labels.put(GroupingKey.JOB, job); // the job of the first segment always wins
    Labels.Builder b = new Labels.Builder(labels.size());
    labels.forEach(b::set);
    return new GroupingKey(b.build());
  }

  /** {@code raw} is "/name/value/name/value..." still percent-encoded; the Pushgateway's splitLabels. */
  private static Map<String, String> splitLabels(String raw) throws PushRejectedException {
    Map<String, String> result = new LinkedHashMap<>();
    if (raw.length() <= 1) {
      return result;
    }
    String[] components = raw.split("/", -1);
    if (components.length % 2 == 0) {
      throw PushRejectedException.invalid("odd number of components in label string "
          + LabelNames.quote(percentDecode(raw)));
    }
    for (int i = 1; i < components.length - 1; i += 2) {
      String name = percentDecode(components[i]);
      boolean base64 = name.endsWith(BASE64_SUFFIX);
      String trimmed = base64 ? name.substring(0, name.length() - BASE64_SUFFIX.length()) : name;
      if (!LabelNames.isValidLabelName(trimmed) || LabelNames.isReserved(trimmed)) {
        throw PushRejectedException.invalid("improper label name " + LabelNames.quote(trimmed));
      }
      result.put(trimmed, decodeValue(trimmed, components[i + 1], base64));
    }
    return result;
  }

  private static String decodeValue(String name, String raw, boolean base64) throws PushRejectedException {
    String value = percentDecode(raw);
    if (!base64) {
      return value;
    }
    try {
      return utf8(Base64Url.decode(value), name);
    } catch (Base64Url.IllegalDataException e) {
      throw PushRejectedException.invalid("invalid base64 encoding for label " + name + "="
          + LabelNames.quote(value) + ": illegal base64 data at input byte " + e.offset());
    }
  }

  /** Decodes %XX escapes of one path segment ('+' stays '+': it is a path, not a form). */
  static String percentDecode(String segment) throws PushRejectedException {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    byte[] in = segment.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[in.length];
    int n = 0;
    for (int i = 0; i < in.length; i++) {
      if (in[i] != '%') {
        out[n++] = in[i];
        continue;
      }
      int hi = i + 2 < in.length ? Character.digit(in[i + 1], 16) : -1;
      int lo = hi < 0 ? -1 : Character.digit(in[i + 2], 16);
      if (lo < 0) {
        String escape = new String(in, i, Math.min(3, in.length - i), StandardCharsets.UTF_8);
        throw PushRejectedException.invalid("invalid URL escape " + LabelNames.quote(escape)
            + " in path segment " + LabelNames.quote(segment));
      }
      out[n++] = (byte) (hi << 4 | lo);
      i += 2;
    }
    return utf8(java.util.Arrays.copyOf(out, n), segment);
  }

  /** Label values must be UTF-8 (the TSDB and every exposition format require it). */
  private static String utf8(byte[] bytes, String what) throws PushRejectedException {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw PushRejectedException.invalid("invalid UTF-8 in the push path at " + LabelNames.quote(what));
    }
  }
}
