// Lookup functions for Pulumi programs: read existing Scaleway RDB instances and backups with the stack's
// `dbaas:` configuration (then SCW_* variables). They return plain promises; wrap them in `pulumi.output` as needed.
import { type DatabaseBackup, type Instance, RdbApi } from "../../sdk";
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
