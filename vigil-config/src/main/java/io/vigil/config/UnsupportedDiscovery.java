package io.vigil.config;

import java.util.List;

/**
 * A service-discovery mechanism that Prometheus has and Vigil does not implement yet (Kubernetes,
 * Consul, DNS, EC2, ...). Kept, unvalidated, so that real configuration files load and
 * {@code /api/v1/status/config} still shows it; loading it produces a warning. It discovers no
 * targets.
 *
 * @param key the YAML key, e.g. {@code kubernetes_sd_configs}
 * @param content the entry as written
 */
public record UnsupportedDiscovery(String key, YamlNode content) implements DiscoveryConfig {
  /** Every other {@code *_sd_configs} key of Prometheus 3. */
  static final List<String> KEYS = List.of("azure_sd_configs", "consul_sd_configs", "digitalocean_sd_configs",
      "dns_sd_configs", "docker_sd_configs", "dockerswarm_sd_configs", "ec2_sd_configs", "eureka_sd_configs",
      "gce_sd_configs", "hetzner_sd_configs", "http_sd_configs", "ionos_sd_configs", "kubernetes_sd_configs",
      "kuma_sd_configs", "lightsail_sd_configs", "linode_sd_configs", "marathon_sd_configs", "nerve_sd_configs",
      "nomad_sd_configs", "openstack_sd_configs", "ovhcloud_sd_configs", "puppetdb_sd_configs",
      "scaleway_sd_configs", "serverset_sd_configs", "stackit_sd_configs", "triton_sd_configs",
      "uyuni_sd_configs", "vultr_sd_configs");

  /** The mechanism's name, e.g. {@code kubernetes}. */
  public String mechanism() {
    return key.substring(0, key.length() - "_sd_configs".length());
  }
}
