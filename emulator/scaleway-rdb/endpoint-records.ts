// Endpoints of RDB instances and read replicas as stored and rendered (load balancer, direct access, Private Network),
// each visible from when it is set up until it is torn down, and the addresses Private Network endpoints get.
import { createHash } from "node:crypto";

export type EndpointKind = "load_balancer" | "direct_access" | "private_network";

export interface PrivateNetworkDetails {
  private_network_id: string;
  /** The endpoint's address with the prefix of its subnet, e.g. `192.168.1.254/24`. */
  service_ip: string;
  zone: string;
  /** `static` when the request named the address, `ipam` when the emulator picked it as IPAM does. */
  provisioning_mode: "static" | "ipam";
}

export interface EndpointRecord {
  id: string;
  kind: EndpointKind;
  ip: string;
  port: number;
  private_network: PrivateNetworkDetails | null;
  /** Listed from this time on (the end of the operation that sets it up). */
  ready_at: number;
  /** Listed until this time (the end of the operation that tears it down); null while it stays. */
  removed_at: number | null;
}

export function isListed(endpoint: EndpointRecord, now: number): boolean {
  return now >= endpoint.ready_at && (endpoint.removed_at === null || now < endpoint.removed_at);
}

export function renderEndpoint(endpoint: EndpointRecord): Record<string, unknown> {
  const common = { id: endpoint.id, ip: endpoint.ip, name: null, port: endpoint.port };
  if (endpoint.private_network) return { ...common, private_network: { ...endpoint.private_network } };
  return { ...common, [endpoint.kind]: {} };
}

/** The port engines listen on inside a Private Network or behind a direct access. */
export function enginePort(engineFamily: string): number {
  return engineFamily === "MySQL" ? 3306 : 5432;
}

/**
 * The /22 subnet IPAM would give a Private Network the emulator knows nothing of: one of 172.16.0.0/12, stable per
 * network id, so that endpoints of one network share it.
 */
function privateNetworkSubnet(privateNetworkId: string): [number, number, number] {
  const digest = createHash("sha256").update(privateNetworkId).digest();
  return [172, 16 + (digest[0] % 16), (digest[1] % 64) * 4];
}

/** The `index`-th address IPAM hands out in a network (from .2: .0 is the network, .1 its gateway). */
export function ipamAddress(privateNetworkId: string, index: number): { ip: string; serviceIp: string } {
  const [a, b, c] = privateNetworkSubnet(privateNetworkId);
  const host = index + 2;
  const ip = `${a}.${b}.${c + Math.floor(host / 256)}.${host % 256}`;
  return { ip, serviceIp: `${ip}/22` };
}
