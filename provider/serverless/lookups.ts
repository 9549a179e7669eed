// Lookup functions for Pulumi programs: read the automatic backups of Serverless SQL databases with the stack's
// `dbaas:` configuration (then SCW_* variables). They return plain promises; wrap them in `pulumi.output` as needed.
import { type ServerlessBackup, ServerlessSqlApi } from "../../sdk";
import { programScalewayClient } from "../program-config";

function api(): ServerlessSqlApi {
  return new ServerlessSqlApi(programScalewayClient());
}

/** `{region}/{uuid}` or a bare UUID, which the client places in the default region. */
function splitId(value: string): { region?: string; id: string } {
  const slash = value.indexOf("/");
  return slash > 0 ? { region: value.slice(0, slash), id: value.slice(slash + 1) } : { id: value };
}

/** One backup by id (`{region}/{uuid}` or UUID). */
export function getBackup(args: { id: string }): Promise<ServerlessBackup> {
  const { region, id } = splitId(args.id);
  return api().getBackup({ region, backupId: id });
}

/** Every backup of a database (`{region}/{uuid}` or UUID), newest first. */
export function listBackups(args: { databaseId: string }): Promise<ServerlessBackup[]> {
  const { region, id } = splitId(args.databaseId);
  return api().listAllBackups({ region, databaseId: id, orderBy: "created_at_desc" });
}

/** The newest backup of a database in status `ready`; fails with a clear message when it has none. */
export async function getLatestBackup(args: { databaseId: string }): Promise<ServerlessBackup> {
  const latest = (await listBackups(args)).find((backup) => backup.status === "ready");
  if (!latest) {
    throw new Error(
      `serverless database ${args.databaseId} has no ready backup: the service takes one a day, so a database ` +
        "created less than a day ago has none yet",
    );
  }
  return latest;
}
