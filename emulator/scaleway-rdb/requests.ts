// How every RDB handler reads its request: the caller, the resource its path names, and an object body.
import type { EmulatorRequest, EmulatorResponse } from "../framework";
import { InvalidArguments } from "../scaleway-wire";
import type { BackupRecord, InstanceRecord } from "./records";
import type { Caller, RdbStore } from "./store";
import { objectBody } from "./validation";

/** What every RDB route runs; errors it raises are rendered by the router. */
export type Handler = (req: EmulatorRequest) => Promise<EmulatorResponse>;

export function ok(body: unknown): EmulatorResponse {
  return { status: 200, body };
}

/** The request's JSON object body (an absent body counts as empty); anything else is refused. */
export function requestBody(req: EmulatorRequest): Record<string, unknown> {
  const body = objectBody(req.body);
  if (!body) {
    throw new InvalidArguments([
      { argument_name: "body", reason: "format", help_message: "must be an object" },
    ]);
  }
  return body;
}

/** The caller and the instance named by `:instanceId`, which the caller must be able to see. */
export async function pathInstance(
  store: RdbStore,
  req: EmulatorRequest,
): Promise<{ caller: Caller; instance: InstanceRecord }> {
  const caller = store.caller(req);
  return { caller, instance: await store.instance(caller, req.params.instanceId) };
}

/** The caller and the backup named by `:backupId`, which the caller must be able to see. */
export async function pathBackup(
  store: RdbStore,
  req: EmulatorRequest,
): Promise<{ caller: Caller; backup: BackupRecord }> {
  const caller = store.caller(req);
  return { caller, backup: await store.backup(caller, req.params.backupId) };
}
