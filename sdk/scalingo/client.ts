// The Scalingo client: a session (auth chain, endpoints, transports) with one method per entry of the Scalingo table
// of calls, plus the backup waiter (one list per tick serves every waiter of a database). Requests are validated
// before anything is sent.
import type { z } from "zod";
import { validateRequest } from "../core/errors";
import { addMethods, type RequestMethod } from "../core/method-table";
import { realSleep } from "../core/rate-limiter";
import { credentialTag } from "../core/shared-poller";
import type { CallOptions } from "../core/transport";
import {
  DEFAULT_BACKUP_DEADLINE_MS,
  statusChecks,
  type WaitSettings,
  waitUntilSteady,
  watchedBy,
} from "../core/waiter";
import { type AnyScalingoCall, SCALINGO_CALLS } from "./calls";
import { ScalingoSession } from "./session";
import {
  SCALINGO_BACKUP_FAILURE_STATUSES,
  SCALINGO_BACKUP_TRANSIENT_STATUSES,
  type ScalingoBackup,
  type ScalingoBackupRequest,
  type ScalingoDatabaseRequest,
} from "./types";

/** A `{field}` of a call's path. */
const PATH_PARAMETER = /\{(\w+)\}/g;

/** The pause before a call the database API refused as busy (409) is sent again. */
const BUSY_PAUSE_MS = 2_000;
const pauseWhileBusy = () => realSleep(BUSY_PAUSE_MS);

type CallMethods<T extends Record<string, AnyScalingoCall>> = {
  [K in keyof T]: RequestMethod<z.input<T[K]["request"]>, ReturnType<T[K]["answer"]>>;
};

/** The session with one method per call of the table. */
abstract class ScalingoCalls extends ScalingoSession {
  static {
    addMethods(ScalingoCalls.prototype, SCALINGO_CALLS, (call: AnyScalingoCall) => {
      return function (this: ScalingoCalls, request: unknown, options?: CallOptions) {
        return this.send(call, request, options);
      };
    });
  }

  /** Validates the request, sends it to the API that serves the call, and answers what the call takes of the reply. */
  private async send(call: AnyScalingoCall, request: unknown, options: CallOptions = {}): Promise<unknown> {
    const validated: Record<string, unknown> = validateRequest(call.request, request);
    const wire = {
      method: call.method,
      path: call.path.replace(PATH_PARAMETER, (_match, field: string) =>
        encodeURIComponent(String(validated[field])),
      ),
      body: call.body?.(validated),
      schema: call.response,
      idempotent: call.idempotent,
      settle: pauseWhileBusy,
      ...options,
    };
    // The database API's calls take requests that name the app and the addon (their schemas require both).
    const answer = await (call.api === "main"
      ? this.mainApi(wire)
      : this.databaseApi(validated as ScalingoDatabaseRequest, wire));
    return call.answer(answer);
  }
}

/** Named so that declarations refer to the table, whose entries document the methods, instead of copying it. */
const ScalingoClientBase = ScalingoCalls as unknown as abstract new (
  ...args: ConstructorParameters<typeof ScalingoSession>
) => ScalingoSession & CallMethods<typeof SCALINGO_CALLS>;

export class ScalingoClient extends ScalingoClientBase {
  /** Waits until the backup is `done`; `error` or `cancelled` → WaitFailedError. Default deadline 15 min. */
  waitForBackup(request: ScalingoBackupRequest, settings: WaitSettings = {}): Promise<ScalingoBackup> {
    const { app, addonId, backupId } = request;
    const { authUrl, apiToken } = this.config;
    const backup = watchedBy((options) => this.getBackup(request, options), {
      deadlineMs: DEFAULT_BACKUP_DEADLINE_MS,
      resource: `Scalingo backup ${backupId}`,
      // The backups list is one unpaginated request per database: it serves every waiter of that database at once.
      shared: {
        key: `scalingo-backups ${authUrl} ${credentialTag(apiToken)} ${app} ${addonId}`,
        id: backupId,
        list: async (signal, retry) => {
          const backups = await this.listBackups({ app, addonId }, { signal, ...retry });
          return { objects: new Map(backups.map((item) => [item.id, item])), pages: 1 };
        },
      },
      ...statusChecks(SCALINGO_BACKUP_TRANSIENT_STATUSES, SCALINGO_BACKUP_FAILURE_STATUSES),
    });
    return waitUntilSteady(backup, settings);
  }
}
