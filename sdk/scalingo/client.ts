// The Scalingo client: the whole auth chain (user API token → user JWT → per-database token, each cached and
// re-minted once on a 401), endpoint resolution, and one method per main-API and database-API call it needs.
import type { z } from "zod";
import { camelToSnake, convertKeys, snakeToCamel } from "../core/case";
import { ConfigurationError, validateRequest } from "../core/errors";
import { sharedRateLimiter, TokenBucket } from "../core/rate-limiter";
import { registerSecret } from "../core/redact";
import { type CallOptions, type HttpMethod, Transport, type TransportOptions } from "../core/transport";
import { DEFAULT_BACKUP_DEADLINE_MS, type WaitSettings, waitFor } from "../core/waiter";
import {
  loadScalingoConfig,
  normalizeBaseUrl,
  SCALINGO_RATE_LIMIT,
  type ScalingoClientOptions,
  type ScalingoConfig,
} from "./config";
import { parseScalingoError } from "./errors";
import { CachedToken, presignedUrlExpiry } from "./tokens";
import {
  SCALINGO_BACKUP_FAILURE_STATUSES,
  SCALINGO_BACKUP_TRANSIENT_STATUSES,
  type ScalingoAddon,
  ScalingoAddonListSchema,
  ScalingoAddonTokenSchema,
  type ScalingoAppRequest,
  ScalingoAppRequestSchema,
  ScalingoArchiveSchema,
  type ScalingoBackup,
  type ScalingoBackupArchive,
  ScalingoBackupEnvelopeSchema,
  ScalingoBackupListSchema,
  type ScalingoBackupRequest,
  ScalingoBackupRequestSchema,
  type ScalingoDatabase,
  ScalingoDatabaseEnvelopeSchema,
  type ScalingoDatabaseRequest,
  ScalingoDatabaseRequestSchema,
  type ScalingoRegion,
  ScalingoRegionListSchema,
  type ScalingoUpdatePeriodicBackupsRequest,
  ScalingoUpdatePeriodicBackupsRequestSchema,
  ScalingoUserTokenSchema,
} from "./types";

const decode = (json: unknown) => convertKeys(json, snakeToCamel);

interface Endpoints {
  apiUrl: string;
  dbApiUrl: string;
}

export class ScalingoClient {
  readonly config: ScalingoConfig;
  private readonly options: ScalingoClientOptions;
  private readonly now: () => number;
  private readonly rateLimiter: TokenBucket;
  private readonly authTransport: Transport;
  private readonly regionTransport: Transport;
  private readonly userToken: CachedToken;
  private readonly databaseTokens = new Map<string, CachedToken>();
  private readonly databaseTransports = new Map<string, Transport>();
  private endpoints?: Promise<Endpoints>;
  private apiTransport?: Transport;

  constructor(options: ScalingoClientOptions = {}) {
    this.options = options;
    this.config = loadScalingoConfig(options);
    registerSecret(this.config.apiToken);
    this.now = options.now ?? Date.now;
    this.rateLimiter =
      options.rateLimit instanceof TokenBucket
        ? options.rateLimit
        : sharedRateLimiter("scalingo", options.rateLimit ?? SCALINGO_RATE_LIMIT);
    const apiToken = this.config.apiToken;
    this.authTransport = this.transport(this.config.authUrl, {
      auth: (headers) => {
        headers.Authorization = `Basic ${Buffer.from(`:${apiToken}`).toString("base64")}`;
      },
    });
    this.regionTransport = this.transport(this.config.authUrl, {});
    this.userToken = new CachedToken(() => this.exchangeToken(), this.now);
  }

  // ---- Auth chain -------------------------------------------------------------------------------------------------

  /** Exchanges the user API token for a user JWT (valid one hour). Repeating it is harmless. */
  private async exchangeToken(): Promise<string> {
    const answer = await this.authTransport.request({
      method: "POST",
      path: "/v1/tokens/exchange",
      schema: ScalingoUserTokenSchema,
      decode,
      idempotent: true,
    });
    return answer.token;
  }

  /** Mints the token of one database addon (valid one hour) on the main API. Repeating it is harmless. */
  private async mintDatabaseToken(request: ScalingoDatabaseRequest): Promise<string> {
    const answer = await this.mainApi({
      method: "POST",
      path: `/v1/apps/${encodeURIComponent(request.app)}/addons/${encodeURIComponent(request.addonId)}/token`,
      schema: ScalingoAddonTokenSchema,
      idempotent: true,
    });
    return answer.addon.token;
  }

  private databaseToken(request: ScalingoDatabaseRequest): CachedToken {
    const key = `${request.app}/${request.addonId}`;
    let token = this.databaseTokens.get(key);
    if (!token) {
      token = new CachedToken(() => this.mintDatabaseToken(request), this.now);
      this.databaseTokens.set(key, token);
    }
    return token;
  }

  // ---- Endpoints --------------------------------------------------------------------------------------------------

  /** The regions the auth host knows, with their main-API and database-API URLs. No credentials needed. */
  async listRegions(): Promise<ScalingoRegion[]> {
    const answer = await this.regionTransport.request({
      method: "GET",
      path: "/v1/regions",
      schema: ScalingoRegionListSchema,
      decode,
    });
    return answer.regions;
  }

  private resolveEndpoints(): Promise<Endpoints> {
    const { apiUrl, dbApiUrl, region } = this.config;
    if (apiUrl && dbApiUrl) return Promise.resolve({ apiUrl, dbApiUrl });
    this.endpoints ??= this.listRegions().then(
      (regions) => {
        const found = regions.find((candidate) => candidate.name === region);
        if (!found) {
          throw new ConfigurationError(
            `Scalingo region "${region}" is unknown to ${this.config.authUrl} (known: ${regions.map((r) => r.name).join(", ")})`,
          );
        }
        return {
          apiUrl: apiUrl ?? normalizeBaseUrl(found.api, "/v1"),
          dbApiUrl: dbApiUrl ?? normalizeBaseUrl(found.databaseApi, "/api"),
        };
      },
      (error: unknown) => {
        this.endpoints = undefined;
        throw error;
      },
    );
    return this.endpoints;
  }

  private transport(baseUrl: string, extra: Partial<TransportOptions>): Transport {
    return new Transport({
      baseUrl,
      parseError: parseScalingoError,
      timeoutMs: this.options.timeoutMs,
      retry: this.options.retry,
      log: this.options.log,
      sleep: this.options.sleep,
      random: this.options.random,
      now: this.options.now,
      ...extra,
    });
  }

  private async mainApi<T>(call: ApiCall<T>): Promise<T> {
    if (!this.apiTransport) {
      const { apiUrl } = await this.resolveEndpoints();
      this.apiTransport ??= this.transport(apiUrl, {
        rateLimiter: this.rateLimiter,
        auth: async (headers) => {
          headers.Authorization = `Bearer ${await this.userToken.get()}`;
        },
        onUnauthorized: async () => {
          this.userToken.invalidate();
          return true;
        },
      });
    }
    return this.apiTransport.request({ ...call, decode });
  }

  private async databaseApi<T>(database: ScalingoDatabaseRequest, call: ApiCall<T>): Promise<T> {
    const key = `${database.app}/${database.addonId}`;
    let transport = this.databaseTransports.get(key);
    if (!transport) {
      const { dbApiUrl } = await this.resolveEndpoints();
      const token = this.databaseToken(database);
      // Another call may have built it while this one awaited the endpoints.
      transport =
        this.databaseTransports.get(key) ??
        this.transport(dbApiUrl, {
          auth: async (headers) => {
            headers.Authorization = `Bearer ${await token.get()}`;
          },
          onUnauthorized: async () => {
            token.invalidate();
            return true;
          },
        });
      this.databaseTransports.set(key, transport);
    }
    return transport.request({ ...call, decode });
  }

  // ---- Main API ---------------------------------------------------------------------------------------------------

  /** The addons of an application; database addons are the ones whose provider is a Scalingo database. */
  async listAddons(request: ScalingoAppRequest): Promise<ScalingoAddon[]> {
    const r = validateRequest(ScalingoAppRequestSchema, request);
    const answer = await this.mainApi({
      method: "GET",
      path: `/v1/apps/${encodeURIComponent(r.app)}/addons`,
      schema: ScalingoAddonListSchema,
    });
    return answer.addons;
  }

  // ---- ScalingoDatabase API -----------------------------------------------------------------------------------------------

  async getDatabase(request: ScalingoDatabaseRequest): Promise<ScalingoDatabase> {
    const r = validateRequest(ScalingoDatabaseRequestSchema, request);
    const answer = await this.databaseApi(r, {
      method: "GET",
      path: databasePath(r),
      schema: ScalingoDatabaseEnvelopeSchema,
    });
    return answer.database;
  }

  /**
   * Enables or disables periodic backups and sets the hour (UTC) they run at. The API takes one hour and answers the
   * list of scheduled hours (`periodicBackupsScheduledAt`). Re-sending the same values is harmless.
   */
  async updatePeriodicBackups(request: ScalingoUpdatePeriodicBackupsRequest): Promise<ScalingoDatabase> {
    const r = validateRequest(ScalingoUpdatePeriodicBackupsRequestSchema, request);
    const answer = await this.databaseApi(r, {
      method: "PATCH",
      path: databasePath(r),
      body: {
        database: convertKeys(
          { periodicBackupsEnabled: r.enabled, periodicBackupsScheduledAt: r.hour },
          camelToSnake,
        ),
      },
      schema: ScalingoDatabaseEnvelopeSchema,
      idempotent: true,
    });
    return answer.database;
  }

  /** Every backup of the database, newest first as the API answers them (no pagination). */
  async listBackups(request: ScalingoDatabaseRequest): Promise<ScalingoBackup[]> {
    const r = validateRequest(ScalingoDatabaseRequestSchema, request);
    const answer = await this.databaseApi(r, {
      method: "GET",
      path: `${databasePath(r)}/backups`,
      schema: ScalingoBackupListSchema,
    });
    return answer.databaseBackups;
  }

  /**
   * Starts a manual backup (201, status `scheduled`); it runs asynchronously: see `waitForBackup`. Never re-sent when
   * its fate is unknown, since a second POST makes a second backup.
   */
  async createBackup(request: ScalingoDatabaseRequest): Promise<ScalingoBackup> {
    const r = validateRequest(ScalingoDatabaseRequestSchema, request);
    const answer = await this.databaseApi(r, {
      method: "POST",
      path: `${databasePath(r)}/backups`,
      schema: ScalingoBackupEnvelopeSchema,
    });
    return answer.databaseBackup;
  }

  async getBackup(request: ScalingoBackupRequest, options: CallOptions = {}): Promise<ScalingoBackup> {
    const r = validateRequest(ScalingoBackupRequestSchema, request);
    const answer = await this.databaseApi(r, {
      method: "GET",
      path: `${databasePath(r)}/backups/${encodeURIComponent(r.backupId)}`,
      schema: ScalingoBackupEnvelopeSchema,
      ...options,
    });
    return answer.databaseBackup;
  }

  /** A temporary presigned link to the finished backup's archive; the URL is a credential and is never logged. */
  async getBackupArchive(request: ScalingoBackupRequest): Promise<ScalingoBackupArchive> {
    const r = validateRequest(ScalingoBackupRequestSchema, request);
    const answer = await this.databaseApi(r, {
      method: "GET",
      path: `${databasePath(r)}/backups/${encodeURIComponent(r.backupId)}/archive`,
      schema: ScalingoArchiveSchema,
    });
    const queryStart = answer.downloadUrl.indexOf("?");
    if (queryStart >= 0) registerSecret(answer.downloadUrl.slice(queryStart + 1));
    const expiresAt = presignedUrlExpiry(answer.downloadUrl);
    return { downloadUrl: answer.downloadUrl, ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) };
  }

  /** Waits until the backup is `done`; `error` or `cancelled` → WaitFailedError. Default deadline 15 min. */
  waitForBackup(request: ScalingoBackupRequest, settings: WaitSettings = {}): Promise<ScalingoBackup> {
    return waitFor({
      deadlineMs: DEFAULT_BACKUP_DEADLINE_MS,
      ...settings,
      resource: `Scalingo backup ${request.backupId}`,
      fetch: (signal, retry) => this.getBackup(request, { signal, ...retry }),
      statusOf: (backup) => backup.status,
      isTransient: (backup) => SCALINGO_BACKUP_TRANSIENT_STATUSES.includes(backup.status),
      isFailure: (backup) => SCALINGO_BACKUP_FAILURE_STATUSES.includes(backup.status),
    });
  }
}

interface ApiCall<T> extends CallOptions {
  method: HttpMethod;
  path: string;
  body?: unknown;
  schema: z.ZodType<T>;
  idempotent?: boolean;
}

function databasePath(request: ScalingoDatabaseRequest): string {
  return `/api/databases/${encodeURIComponent(request.addonId)}`;
}
