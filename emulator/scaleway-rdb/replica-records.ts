// Read replicas as stored (inside their primary instance's record, so they live and persist with it) and rendered;
// like every RDB status, theirs is computed from the clock.
import { type EndpointRecord, isListed, renderEndpoint } from "./endpoint-records";
import { type Busy, operationStatus } from "./records";

export type ReadReplicaStatus = "provisioning" | "initializing" | "ready" | "configuring" | "deleting";

export interface ReadReplicaRecord {
  id: string;
  region: string;
  instance_id: string;
  same_zone: boolean;
  created_at: number;
  endpoints: EndpointRecord[];
  busy: Busy<ReadReplicaStatus> | null;
  /** Set by DELETE: `deleting` until then, gone after. */
  gone_at: number | null;
}

export function readReplicaStatus(replica: ReadReplicaRecord, now: number): ReadReplicaStatus {
  return operationStatus(replica, now);
}

/** The replicas of a primary that have not finished being deleted. */
export function liveReplicas(replicas: ReadReplicaRecord[] | undefined, now: number): ReadReplicaRecord[] {
  return (replicas ?? []).filter((replica) => replica.gone_at === null || now < replica.gone_at);
}

export function renderReadReplica(
  replica: ReadReplicaRecord,
  now: number,
  announced?: ReadReplicaStatus,
): object {
  return {
    endpoints: replica.endpoints.filter((endpoint) => isListed(endpoint, now)).map(renderEndpoint),
    id: replica.id,
    instance_id: replica.instance_id,
    region: replica.region,
    same_zone: replica.same_zone,
    status: announced ?? readReplicaStatus(replica, now),
  };
}
