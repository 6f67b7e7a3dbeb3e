package io.vigil.web;

/**
 * What a caller must be allowed to do to use an endpoint. OPEN endpoints (health, readiness) never
 * ask for credentials; the others are checked against the web config's tokens and users.
 */
public enum Role {
  OPEN,
  /** Queries, metadata, targets, rules, alerts, the UI. */
  READ,
  /** Pushes and remote writes. */
  WRITE,
  /** Admin API, wipe, reload, quit. */
  ADMIN
}
