// The types the scaleway.* resources' inputs and outputs refer to.
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

/** One network an `Acl` lets in. */
export interface AclRule {
  /** An IPv4 network in CIDR notation (`1.2.3.4/32`, `10.0.0.0/16`); a bare address is a /32. */
  ip: string;
  /** Default: the API's ("IP allowed"), then not compared. */
  description?: string;
}

/** An endpoint in a Private Network: a static `serviceIp`, or an address IPAM picks. */
export interface PrivateNetwork {
  /** The Private Network (`{region}/{uuid}` or a UUID), in the region of the database. */
  privateNetworkId: string;
  /** A static address with its subnet's prefix (`192.168.1.254/24`). */
  serviceIp?: string;
  /** Let IPAM pick the address: the default without `serviceIp`. */
  enableIpam?: boolean;
}

/** Where a read replica answers. */
export interface ReadReplicaEndpoint {
  id: string;
  kind: "direct_access" | "private_network";
  ip: string | null;
  hostname: string | null;
  port: number;
  name: string | null;
  /** For a Private Network endpoint: the network and the address with its prefix. */
  privateNetworkId: string | null;
  serviceIp: string | null;
}
