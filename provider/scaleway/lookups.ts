// Lookup functions for Pulumi programs: read existing Scaleway RDB instances, backups, databases, users, privileges,
// ACLs, read replicas and snapshots with the stack's `dbaas:` configuration (then SCW_* variables). They return plain
// promises; wrap them in `pulumi.output` as needed.
import {
  type AclRule,
  type Database,
  type DatabaseBackup,
  type Instance,
  type Privilege,
  RdbApi,
  type ReadReplica,
  type Snapshot,
  type User,
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

/** The one item of `items` that `matches`, or an error naming what is missing on which instance. */
function theOne<T>(items: T[], matches: (item: T) => boolean, what: string, instanceId: string): T {
  const found = items.find(matches);
  if (found === undefined) throw new Error(`no ${what} on instance ${instanceId}`);
  return found;
}

/** One logical database of an instance (`{region}/{uuid}`), by name. */
export async function getDatabase(args: { instanceId: string; name: string }): Promise<Database> {
  const { region, id } = parseRegionalId(args.instanceId);
  const databases = await api().listAllDatabases({ region, instanceId: id, name: args.name });
  return theOne(databases, (d) => d.name === args.name, `database ${args.name}`, args.instanceId);
}

/** One user of an instance (`{region}/{uuid}`), by name. */
export async function getUser(args: { instanceId: string; name: string }): Promise<User> {
  const { region, id } = parseRegionalId(args.instanceId);
  const users = await api().listAllUsers({ region, instanceId: id, name: args.name });
  return theOne(users, (u) => u.name === args.name, `user ${args.name}`, args.instanceId);
}

/** What a user may do on a database of an instance (`{region}/{uuid}`). */
export async function getPrivilege(args: {
  instanceId: string;
  databaseName: string;
  userName: string;
}): Promise<Privilege> {
  const { region, id } = parseRegionalId(args.instanceId);
  const { databaseName, userName } = args;
  const privileges = await api().listAllPrivileges({ region, instanceId: id, databaseName, userName });
  return theOne(
    privileges,
    (p) => p.databaseName === databaseName && p.userName === userName,
    `privilege of user ${userName} on database ${databaseName} (both must exist)`,
    args.instanceId,
  );
}
