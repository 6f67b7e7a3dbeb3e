package io.vigil.push;

import java.time.Instant;
import java.util.Map;

/**
 * What {@link PushService#groups()} tells about one group.
 *
 * @param groupingKey job and the other grouping labels (the tenant label included, if any)
 * @param lastPush the last successful change (push_time_seconds)
 * @param lastFailure the last failed push, or null if none
 * @param series samples the group exposes, push_time_seconds and push_failure_time_seconds included
 */
public record PushGroupInfo(Map<String, String> groupingKey, Instant lastPush, Instant lastFailure, int series) {}
