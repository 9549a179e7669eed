// RDB read replicas: created from a ready instance (at most three each), with direct-access or Private Network
// endpoints; their states (provisioning, initializing on reset, configuring on new endpoints, deleting) and promotion
// into a standalone instance, which initializes under a new id while the replica disappears.
import { randomUUID } from "node:crypto";
import { InvalidArguments, isUuid, NotFound, PreconditionFailed, TransientState } from "../scaleway-wire";
import { findNodeType } from "./catalogue";
import { checkEndpointSpecs, type EndpointModel, type EndpointSpec } from "./endpoint-model";
import { type InstanceModel, inheritedFields } from "./instance-model";
import type { InstanceRecord } from "./records";
import {
  liveReplicas,
  type ReadReplicaRecord,
  type ReadReplicaStatus,
  readReplicaStatus,
} from "./replica-records";
import type { Caller, RdbStore } from "./store";
import { Problems } from "./validation";

/** The API's limit of read replicas per instance. */
const MAX_REPLICAS = 3;

const REPLICA_ENDPOINT_KINDS = ["direct_access", "private_network"] as const;

/** Without endpoint specs, a replica gets a direct access endpoint, as the API documents. */
const DEFAULT_SPECS: EndpointSpec[] = [{ kind: "direct_access", privateNetworkId: "", serviceIp: undefined }];

export class ReadReplicaModel {
  constructor(
    private readonly store: RdbStore,
    private readonly endpoints: EndpointModel,
    private readonly instances: InstanceModel,
  ) {}

  /** The replica `id` and its primary, among the instances the caller sees. */
  async find(caller: Caller, id: string): Promise<{ primary: InstanceRecord; replica: ReadReplicaRecord }> {
    const now = this.store.now();
    for (const primary of await this.store.liveInstances(caller)) {
      const replica = liveReplicas(primary.read_replicas, now).find((candidate) => candidate.id === id);
      if (replica) return { primary, replica };
    }
    throw new NotFound("read_replica", id);
  }

  private requireReady(replica: ReadReplicaRecord): void {
    const status = readReplicaStatus(replica, this.store.now());
    if (status !== "ready") throw new TransientState("read_replica", replica.id, status);
  }

  private startBusy(replica: ReadReplicaRecord, status: ReadReplicaStatus, until: number): void {
    replica.busy = { status, until };
    this.store.changed();
  }

  /** Starts provisioning a replica of a ready instance; its endpoints are listed once it is ready. */
  async create(caller: Caller, body: Record<string, unknown>): Promise<ReadReplicaRecord> {
    const problems = new Problems();
    const instanceId = problems.optionalString(body, "instance_id") ?? "";
    if (!isUuid(instanceId)) problems.add("instance_id", "format", "must be a UUID");
    const specs = checkEndpointSpecs(problems, "endpoint_spec", body.endpoint_spec, REPLICA_ENDPOINT_KINDS);
    const sameZone = problems.optionalBoolean(body, "same_zone") ?? true;
    if (!problems.empty) throw new InvalidArguments(problems.list);
    const primary = await this.store.instance(caller, instanceId);
    this.store.requireReady(primary);
    const now = this.store.now();
    if (liveReplicas(primary.read_replicas, now).length >= MAX_REPLICAS) {
      throw new PreconditionFailed(
        "read_replica_quota",
        `an instance has at most ${MAX_REPLICAS} read replicas`,
      );
    }
    const until = now + this.store.duration("readReplicaCreate");
    const replica: ReadReplicaRecord = {
      id: randomUUID(),
      region: primary.region,
      instance_id: primary.id,
      same_zone: sameZone,
      created_at: now,
      endpoints: (specs.length > 0 ? specs : DEFAULT_SPECS).map((spec) =>
        this.endpoints.build(spec, primary.region, primary.engine_family, until),
      ),
      busy: { status: "provisioning", until },
      gone_at: null,
    };
    // On the real plane the replica is a streaming standby, answering at its direct access endpoint once it runs.
    const provisioned = await this.store.data.provisionReplica(primary.id, replica.id);
    const directAccess = replica.endpoints.find((endpoint) => endpoint.kind === "direct_access");
    if (provisioned.port !== undefined && directAccess) directAccess.port = provisioned.port;
    await provisioned.ready;
    primary.read_replicas = [...liveReplicas(primary.read_replicas, now), replica];
    this.store.changed();
    return replica;
  }

  /** Starts deleting a replica: `deleting` (endpoints still listed) until it is gone. */
  async remove(replica: ReadReplicaRecord): Promise<void> {
    if (replica.gone_at !== null) this.requireReady(replica);
    await this.store.data.dropInstance(replica.id);
    replica.gone_at = this.store.now() + this.store.duration("readReplicaDelete");
    replica.busy = null;
    this.store.changed();
  }

  /** Re-copies the primary's data: `initializing` meanwhile, endpoints unchanged. */
  reset(replica: ReadReplicaRecord): void {
    this.requireReady(replica);
    this.startBusy(replica, "initializing", this.store.now() + this.store.duration("readReplicaReset"));
  }

  /** Adds endpoints to a ready replica (one of each kind at most); `configuring` until they are listed. */
  addEndpoints(primary: InstanceRecord, replica: ReadReplicaRecord, body: Record<string, unknown>): void {
    const problems = new Problems();
    const specs = checkEndpointSpecs(problems, "endpoint_spec", body.endpoint_spec, REPLICA_ENDPOINT_KINDS);
    if (specs.length === 0) problems.add("endpoint_spec", "required", "endpoint_spec is required");
    const now = this.store.now();
    for (const spec of specs) {
      const clash = replica.endpoints.some(
        (endpoint) =>
          (endpoint.removed_at === null || now < endpoint.removed_at) &&
          endpoint.kind === spec.kind &&
          (spec.kind !== "private_network" ||
            endpoint.private_network?.private_network_id === spec.privateNetworkId),
      );
      if (clash)
        problems.add("endpoint_spec", "constraint", `the read replica already has a ${spec.kind} endpoint`);
    }
    if (!problems.empty) throw new InvalidArguments(problems.list);
    this.requireReady(replica);
    const until = now + this.store.duration("endpointCreate");
    replica.endpoints = [
      ...replica.endpoints,
      ...specs.map((spec) => this.endpoints.build(spec, primary.region, primary.engine_family, until)),
    ];
    this.startBusy(replica, "configuring", until);
  }

  /**
   * Turns a ready replica into a standalone instance named after its primary, with the primary's settings, users and
   * data; the replica is gone at once and the new instance initializes, its public endpoint listed once ready.
   */
  async promote(
    caller: Caller,
    primary: InstanceRecord,
    replica: ReadReplicaRecord,
  ): Promise<InstanceRecord> {
    this.requireReady(replica);
    const node = findNodeType(primary.node_type);
    if (!node)
      throw new PreconditionFailed("node_type", `node type ${primary.node_type} is no longer offered`);
    const promoted = this.instances.add(caller, {
      ...inheritedFields(primary),
      name: `promoted - ${primary.name}`,
      engine: primary.engine,
      volume: { ...primary.volume },
      node,
      operation: "instanceClone",
    });
    const until = this.store.now() + this.store.duration("readReplicaPromote");
    promoted.busy = { status: "initializing", until };
    promoted.users = primary.users.map((user) => ({ ...user }));
    promoted.settings = primary.settings.map((setting) => ({ ...setting }));
    // Before the endpoint moves to the list: on the real plane, its port becomes the new server's.
    await this.store.provision(promoted, { copyOf: primary.id });
    if (promoted.endpoint) {
      promoted.endpoints = [
        {
          ...promoted.endpoint,
          kind: "load_balancer",
          private_network: null,
          ready_at: until,
          removed_at: null,
        },
      ];
      promoted.endpoint = null;
    }
    primary.read_replicas = (primary.read_replicas ?? []).filter((other) => other.id !== replica.id);
    await this.store.data.dropInstance(replica.id);
    this.store.changed();
    return promoted;
  }
}
