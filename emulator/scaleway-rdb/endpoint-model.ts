// Endpoints of RDB instances and read replicas: the specs an instance create, an endpoint create or a read replica may
// ask for (load balancer, direct access, Private Network with a static address or one picked as IPAM does), and
// adding, removing and migrating them, during which the instance (or replica) is `initializing` or `configuring`.
import { randomInt, randomUUID } from "node:crypto";
import { isIPv4 } from "node:net";
import { InvalidArguments, isUuid, NotFound, TransientState } from "../scaleway-wire";
import {
  type EndpointKind,
  type EndpointRecord,
  enginePort,
  ipamAddress,
  isListed,
} from "./endpoint-records";
import { type InstanceRecord, listedEndpoints } from "./records";
import { liveReplicas, type ReadReplicaRecord, readReplicaStatus } from "./replica-records";
import type { Caller, RdbStore } from "./store";
import { objectBody, Problems } from "./validation";

/** One endpoint a request asks for. */
export interface EndpointSpec {
  kind: EndpointKind;
  privateNetworkId: string;
  /** The static address (CIDR) asked for; undefined lets IPAM pick one. */
  serviceIp: string | undefined;
}

/** An IPv4 network `a.b.c.d/n`, the only kind Scaleway Private Networks and RDB ACLs take. */
export function isCidr(value: string): boolean {
  const [address, prefix, ...rest] = value.split("/");
  if (rest.length > 0 || !isIPv4(address) || prefix === undefined || !/^\d{1,2}$/.test(prefix)) return false;
  return Number(prefix) <= 32;
}

function checkPrivateNetwork(problems: Problems, argument: string, raw: unknown): EndpointSpec | undefined {
  const network = objectBody(raw);
  if (!network) {
    problems.add(argument, "format", "must be an object");
    return undefined;
  }
  const privateNetworkId = problems.optionalString(network, "private_network_id") ?? "";
  if (!isUuid(privateNetworkId)) {
    problems.add(`${argument}.private_network_id`, "format", "must be a UUID");
  }
  const serviceIp = problems.optionalString(network, "service_ip");
  if (serviceIp !== undefined && !isCidr(serviceIp)) {
    problems.add(
      `${argument}.service_ip`,
      "format",
      "must be an IPv4 address with its prefix, e.g. 192.168.1.2/24",
    );
  }
  if (serviceIp !== undefined && network.ipam_config !== undefined && network.ipam_config !== null) {
    problems.add(
      `${argument}.ipam_config`,
      "constraint",
      "service_ip and ipam_config are mutually exclusive",
    );
  }
  return { kind: "private_network", privateNetworkId, serviceIp };
}

/** One endpoint spec: exactly one of the `allowed` kinds, as `{kind: {...}}`. */
function checkSpec(
  problems: Problems,
  argument: string,
  raw: unknown,
  allowed: readonly EndpointKind[],
): EndpointSpec | undefined {
  const spec = objectBody(raw);
  const kinds = spec ? allowed.filter((kind) => spec[kind] !== undefined && spec[kind] !== null) : [];
  if (!spec || kinds.length !== 1) {
    problems.add(argument, "constraint", `must set exactly one of ${allowed.join(", ")}`);
    return undefined;
  }
  if (kinds[0] === "private_network") return checkPrivateNetwork(problems, argument, spec.private_network);
  return { kind: kinds[0], privateNetworkId: "", serviceIp: undefined };
}

/** A list of endpoint specs (absent is empty): at most one of each kind, one per Private Network. */
export function checkEndpointSpecs(
  problems: Problems,
  argument: string,
  raw: unknown,
  allowed: readonly EndpointKind[],
): EndpointSpec[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.add(argument, "format", "must be a list");
    return [];
  }
  const specs = raw.flatMap(
    (item, index) => checkSpec(problems, `${argument}.${index}`, item, allowed) ?? [],
  );
  for (const kind of allowed) {
    if (specs.filter((spec) => spec.kind === kind).length > 1) {
      problems.add(argument, "constraint", `at most one ${kind} endpoint`);
    }
  }
  return specs;
}

/** The `init_endpoints` of an instance create. */
export function checkInitEndpoints(body: Record<string, unknown>): EndpointSpec[] {
  const problems = new Problems();
  const specs = checkEndpointSpecs(problems, "init_endpoints", body.init_endpoints, [
    "load_balancer",
    "private_network",
  ]);
  if (!problems.empty) throw new InvalidArguments(problems.list);
  return specs;
}

/** Where an endpoint is: on an instance, or on one of its read replicas. */
interface FoundEndpoint {
  instance: InstanceRecord;
  endpoint: EndpointRecord;
  replica: ReadReplicaRecord | undefined;
}

export class EndpointModel {
  constructor(private readonly store: RdbStore) {}

  /** Every endpoint of the store (instances' and replicas'), to hand out distinct IPAM addresses. */
  private allEndpoints(): EndpointRecord[] {
    return [...this.store.instances.values()].flatMap((instance) => [
      ...(instance.endpoints ?? []),
      ...(instance.read_replicas ?? []).flatMap((replica) => replica.endpoints),
    ]);
  }

  /** A new endpoint for `spec` on an instance of `engineFamily` in `region`, listed from `readyAt`. */
  build(spec: EndpointSpec, region: string, engineFamily: string, readyAt: number): EndpointRecord {
    const base = { id: randomUUID(), kind: spec.kind, ready_at: readyAt, removed_at: null };
    if (spec.kind !== "private_network") {
      const port = spec.kind === "direct_access" ? enginePort(engineFamily) : randomInt(1024, 30000);
      return { ...base, ip: "127.0.0.1", port, private_network: null };
    }
    const inNetwork = this.allEndpoints().filter(
      (endpoint) => endpoint.private_network?.private_network_id === spec.privateNetworkId,
    );
    const picked = spec.serviceIp
      ? { ip: spec.serviceIp.split("/")[0], serviceIp: spec.serviceIp }
      : ipamAddress(spec.privateNetworkId, inNetwork.length);
    return {
      ...base,
      ip: picked.ip,
      port: enginePort(engineFamily),
      private_network: {
        private_network_id: spec.privateNetworkId,
        service_ip: picked.serviceIp,
        zone: `${region}-1`,
        provisioning_mode: spec.serviceIp ? "static" : "ipam",
      },
    };
  }

  /**
   * The endpoints a create asks for replace the default public one unless one of them is a load balancer; Private
   * Network endpoints are listed at once, while the instance provisions.
   */
  initial(instance: InstanceRecord, specs: EndpointSpec[]): void {
    if (specs.length === 0) return;
    if (!specs.some((spec) => spec.kind === "load_balancer")) instance.endpoint = null;
    instance.endpoints = specs
      .filter((spec) => spec.kind === "private_network")
      .map((spec) => this.build(spec, instance.region, instance.engine_family, instance.created_at));
    this.store.changed();
  }

  /** Refuses a second endpoint of a kind an instance has one of, or a second one in the same Private Network. */
  private checkRoom(instance: InstanceRecord, spec: EndpointSpec): void {
    const now = this.store.now();
    const current = [
      ...listedEndpoints(instance, now, true),
      ...(instance.endpoints ?? []).filter((endpoint) => now < endpoint.ready_at),
    ];
    const clash = current.find((endpoint) =>
      spec.kind === "private_network"
        ? endpoint.private_network?.private_network_id === spec.privateNetworkId
        : endpoint.kind === spec.kind,
    );
    if (clash) {
      throw InvalidArguments.constraint(
        "endpoint_spec",
        spec.kind === "private_network"
          ? `the instance already has an endpoint in private network ${spec.privateNetworkId}`
          : `the instance already has a ${spec.kind} endpoint`,
      );
    }
  }

  /** Starts setting up an endpoint; the instance is `initializing` until it is listed. */
  add(instance: InstanceRecord, body: Record<string, unknown>): void {
    const problems = new Problems();
    const [spec] = checkEndpointSpecs(
      problems,
      "endpoint_spec",
      [body.endpoint_spec ?? null],
      ["load_balancer", "private_network"],
    );
    if (!problems.empty || !spec) throw new InvalidArguments(problems.list);
    this.store.requireReady(instance);
    this.checkRoom(instance, spec);
    this.store.startBusy(instance, "initializing", "endpointCreate");
    const readyAt = instance.busy?.until ?? this.store.now();
    instance.endpoints = [
      ...(instance.endpoints ?? []),
      this.build(spec, instance.region, instance.engine_family, readyAt),
    ];
    this.store.changed();
  }

  /** The instance and endpoint `endpointId` names, among the instances the caller sees. */
  async find(caller: Caller, endpointId: string): Promise<FoundEndpoint> {
    const now = this.store.now();
    for (const instance of await this.store.liveInstances(caller)) {
      const endpoint = listedEndpoints(instance, now, true).find((listed) => listed.id === endpointId);
      if (endpoint) return { instance, endpoint, replica: undefined };
      for (const replica of liveReplicas(instance.read_replicas, now)) {
        const onReplica = replica.endpoints.find(
          (listed) => listed.id === endpointId && isListed(listed, now),
        );
        if (onReplica) return { instance, endpoint: onReplica, replica };
      }
    }
    throw new NotFound("endpoint", endpointId);
  }

  /** Starts tearing down an endpoint of a read replica, which is `configuring` until it is gone. */
  private removeFromReplica(replica: ReadReplicaRecord, endpoint: EndpointRecord): void {
    const now = this.store.now();
    const status = readReplicaStatus(replica, now);
    if (status !== "ready") throw new TransientState("read_replica", replica.id, status);
    const until = now + this.store.duration("endpointDelete");
    replica.busy = { status: "configuring", until };
    endpoint.removed_at = until;
    this.store.changed();
  }

  /** Takes the endpoint off its instance now, turning the default public one into an added one first. */
  private detach(instance: InstanceRecord, endpoint: EndpointRecord): EndpointRecord {
    if (instance.endpoint?.id === endpoint.id) {
      instance.endpoint = null;
      instance.endpoints = [...(instance.endpoints ?? []), endpoint];
    }
    return (instance.endpoints ?? []).find((added) => added.id === endpoint.id) ?? endpoint;
  }

  /** Starts tearing an endpoint down: still listed, the instance `configuring`, until it is gone. */
  async remove(caller: Caller, endpointId: string): Promise<void> {
    const { instance, endpoint, replica } = await this.find(caller, endpointId);
    if (replica) return this.removeFromReplica(replica, endpoint);
    this.store.requireReady(instance);
    this.store.startBusy(instance, "configuring", "endpointDelete");
    this.detach(instance, endpoint).removed_at = instance.busy?.until ?? this.store.now();
    this.store.changed();
  }

  /** Moves an endpoint, address included, to another ready instance of the region; both are `configuring`. */
  async migrate(caller: Caller, endpointId: string, body: Record<string, unknown>): Promise<EndpointRecord> {
    const problems = new Problems();
    const targetId = problems.optionalString(body, "instance_id") ?? "";
    if (!isUuid(targetId)) problems.add("instance_id", "format", "must be a UUID");
    if (!problems.empty) throw new InvalidArguments(problems.list);
    const { instance, endpoint, replica } = await this.find(caller, endpointId);
    if (replica)
      throw InvalidArguments.constraint("endpoint_id", "endpoints of read replicas cannot be migrated");
    const target = await this.store.instance(caller, targetId);
    if (target.id === instance.id) {
      throw InvalidArguments.constraint("instance_id", "the endpoint already belongs to this instance");
    }
    this.store.requireReady(instance);
    this.store.requireReady(target);
    const spec = {
      kind: endpoint.kind,
      privateNetworkId: endpoint.private_network?.private_network_id ?? "",
      serviceIp: undefined,
    };
    this.checkRoom(target, spec);
    const moved = this.detach(instance, endpoint);
    instance.endpoints = (instance.endpoints ?? []).filter((added) => added.id !== moved.id);
    target.endpoints = [
      ...(target.endpoints ?? []),
      { ...moved, ready_at: this.store.now(), removed_at: null },
    ];
    this.store.startBusy(instance, "configuring", "instanceConfigure");
    this.store.startBusy(target, "configuring", "instanceConfigure");
    return moved;
  }
}
