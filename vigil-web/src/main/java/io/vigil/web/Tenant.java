package io.vigil.web;

/**
 * The tenant a request is confined to, set on the exchange by the authenticator when the caller's
 * token carries one. Reads see only series with {@code label="value"} (the matcher is added to
 * every selector); writes get the label set on every series. Absent (null attribute): no
 * confinement.
 */
public record Tenant(String label, String value) {}
