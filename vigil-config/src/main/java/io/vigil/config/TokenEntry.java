package io.vigil.config;

import io.vigil.model.LabelNames;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One bearer token Vigil accepts ({@code tokens[]} of the web configuration file). Only the token's
 * SHA-256 is stored; see {@link WebConfig#findToken(String)}.
 *
 * @param name for logs and audit; unique
 * @param sha256 lowercase hex SHA-256 of the token's UTF-8 bytes (64 characters); unique
 * @param roles what the token may do; never empty. No role implies another: a token that should
 *     read and write lists both
 * @param tenant the tenant the token is confined to, or null for none
 */
public record TokenEntry(String name, String sha256, Set<Role> roles, Tenant tenant) {
  /** What a token may do. */
  public enum Role {
    /** Queries, metadata, targets, rules, alerts, the UI. */
    READ,
    /** Pushes and remote write. */
    WRITE,
    /** The admin API, wipe, reload and quit. */
    ADMIN;

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Confines a token to one tenant: its queries get the matcher {@code label="value"} enforced, and
   * everything it pushes or writes gets the label set.
   */
  public record Tenant(String label, String value) {}

  public TokenEntry {
    roles = Set.copyOf(roles);
  }

  public boolean hasRole(Role role) {
    return roles.contains(role);
  }

  static TokenEntry read(YamlNode node, String path, Problems p) {
    MappingReader r = MappingReader.ofItem(node, path, p, "empty or null token entry");
    if (r == null) {
      return null;
    }
    int errorsBefore = p.errorCount();
    String name = r.string("name", "");
    if (name.isEmpty()) {
      r.error("name is required");
    }
    String sha = r.string("sha256", "").toLowerCase(Locale.ROOT);
    if (sha.isEmpty()) {
      r.error("sha256 is required (the hex SHA-256 of the token)");
    } else if (sha.length() != 64 || !sha.chars().allMatch(HexFormat::isHexDigit)) {
      r.error("sha256", "sha256 must be 64 hexadecimal characters (the SHA-256 of the token), got "
          + sha.length() + " characters");
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    List<String> roleNames = r.strings("roles");
    for (String roleName : roleNames) {
      Role role = parseRole(roleName);
      if (role == null) {
        r.error("roles", "unknown role \"" + roleName + "\", expected read, write or admin");
      } else {
        roles.add(role);
      }
    }
    if (roleNames.isEmpty()) {
      r.error("roles is required: at least one of read, write, admin");
    }
    Tenant tenant = r.has("tenant") ? r.object("tenant", TokenEntry::readTenant) : null;
    r.take("tenant");
    r.finish();
    return p.errorCount() == errorsBefore ? new TokenEntry(name, sha, roles, tenant) : null;
  }

  private static Role parseRole(String s) {
    for (Role role : Role.values()) {
      if (role.configName().equals(s)) {
        return role;
      }
    }
    return null;
  }

  private static Tenant readTenant(MappingReader r) {
    String label = r.string("label", "");
    String value = r.string("value", "");
    if (!LabelNames.isValidLabelName(label) || LabelNames.isReserved(label)) {
      r.error("label", "tenant label must be a valid label name not starting with \"__\", got "
          + LabelNames.quote(label));
    }
    if (value.isEmpty()) {
      r.error("value", "tenant value must not be empty");
    }
    return new Tenant(label, value);
  }
}
