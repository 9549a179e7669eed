// The types the scaleway.DatabaseInstance inputs and outputs refer to.
/**
 * Per-operation deadlines (`"90s"`, `"20m"`, `"1h"`); the provider's own, since Pulumi ignores customTimeouts for
 * dynamic resources. Never part of the diff.
 */
export interface Timeouts {
  /** Default 30m. */
  create?: string;
  /** Default 30m. */
  update?: string;
  /** Default 30m. */
  delete?: string;
}

/** How long the instance's logs are kept. */
export interface LogsPolicy {
  /** Days logs are kept (1–365). */
  maxAgeRetention: number;
  /** Bytes of logs kept at most. */
  totalDiskRetention?: number;
}

/** Where the instance answers: an IP or a host name, and a port. */
export interface Endpoint {
  ip?: string;
  hostname?: string;
  port: number;
}
