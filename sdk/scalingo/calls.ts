// The Scalingo calls the client makes, as data: which API serves each (main or database), its method, path, request
// and response schemas, body, and what the caller gets of the answer, with the JSDoc of each `ScalingoClient` method.
import type { z } from "zod";
import { camelToSnake, convertKeys } from "../core/case";
import { registerSecret } from "../core/redact";
import type { HttpMethod } from "../core/transport";
import { presignedUrlExpiry } from "./tokens";
import {
  ScalingoAddonListSchema,
  ScalingoAppRequestSchema,
  ScalingoArchiveSchema,
  type ScalingoBackupArchive,
  ScalingoBackupEnvelopeSchema,
  ScalingoBackupListSchema,
  ScalingoBackupRequestSchema,
  ScalingoDatabaseEnvelopeSchema,
  ScalingoDatabaseRequestSchema,
  ScalingoUpdatePeriodicBackupsRequestSchema,
} from "./types";

/** One call of the client, from which its method is built. */
export interface ScalingoCall<Req extends z.ZodType, Res extends z.ZodType, Answer> {
  /** The main API (the user's token) or the API of the database the request names (that database's token). */
  api: "main" | "database";
  method: HttpMethod;
  /** Each `{field}` stands for that request field, URL-encoded. */
  path: string;
  request: Req;
  response: Res;
  /** The wire body, for the calls that send one. */
  body?(request: z.output<Req>): unknown;
  /** Whether re-sending is harmless (see `RequestOptions.idempotent`); by default, what the method says. */
  idempotent?: boolean;
  /** What the caller gets of the parsed answer, e.g. the object inside its envelope. */
  answer(response: z.output<Res>): Answer;
}

export type AnyScalingoCall = ScalingoCall<z.ZodType<Record<string, unknown>>, z.ZodType, unknown>;

/** The path of every call on one database's API. */
const DATABASE = "/api/databases/{addonId}";

/** A presigned archive link; its query string is a credential, registered so that it is redacted everywhere. */
function archiveOf({ downloadUrl }: { downloadUrl: string }): ScalingoBackupArchive {
  const queryStart = downloadUrl.indexOf("?");
  if (queryStart >= 0) registerSecret(downloadUrl.slice(queryStart + 1));
  const expiresAt = presignedUrlExpiry(downloadUrl);
  return { downloadUrl, ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) };
}

/** One call, typed from its schemas: its `body` and `answer` see the parsed request and response. */
function scalingoCall<Req extends z.ZodType, Res extends z.ZodType, Answer>(
  call: ScalingoCall<Req, Res, Answer>,
): ScalingoCall<Req, Res, Answer> {
  return call;
}

export const SCALINGO_CALLS = {
  // ---- Main API -----------------------------------------------------------------------------------------------------

  /** The addons of an application; database addons are the ones whose provider is a Scalingo database. */
  listAddons: scalingoCall({
    api: "main",
    method: "GET",
    path: "/v1/apps/{app}/addons",
    request: ScalingoAppRequestSchema,
    response: ScalingoAddonListSchema,
    answer: (response) => response.addons,
  }),

  // ---- Database API -------------------------------------------------------------------------------------------------

  /** The database: its plan, status, and periodic backup settings. */
  getDatabase: scalingoCall({
    api: "database",
    method: "GET",
    path: DATABASE,
    request: ScalingoDatabaseRequestSchema,
    response: ScalingoDatabaseEnvelopeSchema,
    answer: (response) => response.database,
  }),
  /**
   * Enables or disables periodic backups and sets the hour (UTC) they run at. The API takes one hour and answers the
   * list of scheduled hours (`periodicBackupsScheduledAt`). Re-sending the same values is harmless.
   */
  updatePeriodicBackups: scalingoCall({
    api: "database",
    method: "PATCH",
    path: DATABASE,
    request: ScalingoUpdatePeriodicBackupsRequestSchema,
    response: ScalingoDatabaseEnvelopeSchema,
    body: (request) => ({
      database: convertKeys(
        { periodicBackupsEnabled: request.enabled, periodicBackupsScheduledAt: request.hour },
        camelToSnake,
      ),
    }),
    idempotent: true,
    answer: (response) => response.database,
  }),
  /** Every backup of the database, newest first as the API answers them (no pagination). */
  listBackups: scalingoCall({
    api: "database",
    method: "GET",
    path: `${DATABASE}/backups`,
    request: ScalingoDatabaseRequestSchema,
    response: ScalingoBackupListSchema,
    answer: (response) => response.databaseBackups,
  }),
  /**
   * Starts a manual backup (201, status `scheduled`); it runs asynchronously: see `waitForBackup`. Never re-sent when
   * its fate is unknown, since a second POST makes a second backup.
   */
  createBackup: scalingoCall({
    api: "database",
    method: "POST",
    path: `${DATABASE}/backups`,
    request: ScalingoDatabaseRequestSchema,
    response: ScalingoBackupEnvelopeSchema,
    answer: (response) => response.databaseBackup,
  }),
  /** One backup of the database, with its status, size and method (manual or periodic). */
  getBackup: scalingoCall({
    api: "database",
    method: "GET",
    path: `${DATABASE}/backups/{backupId}`,
    request: ScalingoBackupRequestSchema,
    response: ScalingoBackupEnvelopeSchema,
    answer: (response) => response.databaseBackup,
  }),
  /** A temporary presigned link to the finished backup's archive; the URL is a credential and is never logged. */
  getBackupArchive: scalingoCall({
    api: "database",
    method: "GET",
    path: `${DATABASE}/backups/{backupId}/archive`,
    request: ScalingoBackupRequestSchema,
    response: ScalingoArchiveSchema,
    answer: archiveOf,
  }),
};
