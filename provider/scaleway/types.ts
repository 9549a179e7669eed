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

/** One endpoint of an instance, with what it is for. */
export interface InstanceEndpoint extends Endpoint {
  id: string;
  /** `loadBalancer` (public), `privateNetwork` or `directAccess`. */
  kind: "loadBalancer" | "privateNetwork" | "directAccess" | "unknown";
  name: string | null;
  /** The Private Network (UUID) of a `privateNetwork` endpoint. */
  privateNetworkId?: string;
  /** The address with its subnet's prefix (`172.16.4.2/22`) of a `privateNetwork` endpoint, IPAM's or declared. */
  serviceIp?: string;
}

/** A Private Network endpoint: the network, and a static address or IPAM. */
export interface PrivateNetwork {
  /** `{region}/{uuid}` or a UUID, in the instance's region. */
  privateNetworkId: string;
  /** A static address with its prefix, e.g. `192.168.1.254/24`; excludes `enableIpam: true`. */
  serviceIp?: string;
  /** Let IPAM pick the address: the default when `serviceIp` is not set. */
  enableIpam?: boolean;
}

/** One network an `Acl` lets in. */
export interface AclRule {
  /** An IPv4 network in CIDR notation (`1.2.3.4/32`, `10.0.0.0/16`); a bare address is a /32. */
  ip: string;
  /** Default: the API's ("IP allowed"), then not compared. */
  description?: string;
}

/** Where a read replica answers. */
export interface ReadReplicaEndpoint {
  id: string;
  kind: "directAccess" | "privateNetwork";
  ip: string | null;
  hostname: string | null;
  port: number;
  name: string | null;
  /** For a Private Network endpoint: the network and the address with its prefix. */
  privateNetworkId: string | null;
  serviceIp: string | null;
}
