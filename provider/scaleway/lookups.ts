// Lookup functions for Pulumi programs: read existing Scaleway RDB instances, backups, ACLs, read replicas and
// snapshots with the stack's `dbaas:` configuration (then SCW_* variables). They return plain promises; wrap them in
// `pulumi.output` as needed.
import {
  type AclRule,
  type DatabaseBackup,
  type Instance,
  RdbApi,
  type ReadReplica,
  type Snapshot,
} from "../../sdk";
import { parseRegionalId } from "../impl/support";
import { programScalewayClient } from "../program-config";

function api(): RdbApi {
  return new RdbApi(programScalewayClient());
}

/** One instance by id (`{region}/{uuid}`). */
export function getInstance(args: { id: string }): Promise<Instance> {
  const { region, id } = parseRegionalId(args.id);
  return api().getInstance({ region, instanceId: id });
}

/** One backup by id (`{region}/{uuid}`). */
export function getDatabaseBackup(args: { id: string }): Promise<DatabaseBackup> {
  const { region, id } = parseRegionalId(args.id);
  return api().getDatabaseBackup({ region, databaseBackupId: id });
}

/** Every backup of an instance (`{region}/{uuid}`), optionally those whose name contains `name`, oldest first. */
export function listDatabaseBackups(args: { instanceId: string; name?: string }): Promise<DatabaseBackup[]> {
  const { region, id } = parseRegionalId(args.instanceId);
  return api().listAllDatabaseBackups({ region, instanceId: id, name: args.name });
}

/** The ACL rules of an instance (`{region}/{uuid}`): the networks allowed to reach its public endpoint. */
export function getAcl(args: { instanceId: string }): Promise<AclRule[]> {
  const { region, id } = parseRegionalId(args.instanceId);
  return api().listAllInstanceAclRules({ region, instanceId: id });
}

/** One read replica by id (`{region}/{uuid}`), with its status and endpoints. */
export function getReadReplica(args: { id: string }): Promise<ReadReplica> {
  const { region, id } = parseRegionalId(args.id);
  return api().getReadReplica({ region, readReplicaId: id });
}

/** One snapshot by id (`{region}/{uuid}`). */
export function getSnapshot(args: { id: string }): Promise<Snapshot> {
  const { region, id } = parseRegionalId(args.id);
  return api().getSnapshot({ region, snapshotId: id });
}

/** Every snapshot of an instance (`{region}/{uuid}`), optionally those whose name contains `name`, oldest first. */
export function listSnapshots(args: { instanceId: string; name?: string }): Promise<Snapshot[]> {
  const { region, id } = parseRegionalId(args.instanceId);
  return api().listAllSnapshots({ region, instanceId: id, name: args.name, orderBy: "created_at_asc" });
}
