// A Scalingo session: the whole auth chain (user API token → user JWT → per-database token, each cached and
// re-minted once on a 401), endpoint resolution, and the transports of the main API and of each database's API.
import { convertKeys, snakeToCamel } from "../core/case";
import { ConfigurationError } from "../core/errors";
import { sharedRateLimiter, TokenBucket } from "../core/rate-limiter";
import { registerSecret } from "../core/redact";
import {
  clientTransportOptions,
  type RequestOptions,
  Transport,
  type TransportOptions,
} from "../core/transport";
import {
  loadScalingoConfig,
  normalizeBaseUrl,
  SCALINGO_RATE_LIMIT,
  type ScalingoClientOptions,
  type ScalingoConfig,
} from "./config";
import { parseScalingoError } from "./errors";
import { CachedToken } from "./tokens";
import {
  ScalingoAddonTokenSchema,
  type ScalingoDatabaseRequest,
  type ScalingoRegion,
  ScalingoRegionListSchema,
  ScalingoUserTokenSchema,
} from "./types";

/** Scalingo's JSON is snake_case; the models are camelCase. */
const decode = (json: unknown) => convertKeys(json, snakeToCamel);

/** A request to one of the APIs, without the decoding every Scalingo answer shares. */
export type ScalingoRequest<T> = Omit<RequestOptions<T>, "decode">;

interface Endpoints {
  apiUrl: string;
  dbApiUrl: string;
}

export class ScalingoSession {
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

  // ---- Transports -------------------------------------------------------------------------------------------------

  private transport(baseUrl: string, extra: Partial<TransportOptions>): Transport {
    return new Transport({
      baseUrl,
      parseError: parseScalingoError,
      ...clientTransportOptions(this.options),
      ...extra,
    });
  }

  /** A transport that sends `token` as a Bearer token and, after a 401, forgets it so that it is minted again. */
  private bearerTransport(
    baseUrl: string,
    token: CachedToken,
    extra: Partial<TransportOptions> = {},
  ): Transport {
    return this.transport(baseUrl, {
      ...extra,
      auth: async (headers) => {
        headers.Authorization = `Bearer ${await token.get()}`;
      },
      onUnauthorized: async () => {
        token.invalidate();
        return true;
      },
    });
  }

  /** Sends a request to the main API, with the user's token, on the process-wide "scalingo" rate limiter. */
  protected async mainApi<T>(request: ScalingoRequest<T>): Promise<T> {
    if (!this.apiTransport) {
      const { apiUrl } = await this.resolveEndpoints();
      this.apiTransport ??= this.bearerTransport(apiUrl, this.userToken, { rateLimiter: this.rateLimiter });
    }
    return this.apiTransport.request({ ...request, decode });
  }

  /** Sends a request to the API of one database, with that database's token. */
  protected async databaseApi<T>(database: ScalingoDatabaseRequest, request: ScalingoRequest<T>): Promise<T> {
    const key = `${database.app}/${database.addonId}`;
    let transport = this.databaseTransports.get(key);
    if (!transport) {
      const { dbApiUrl } = await this.resolveEndpoints();
      // Another call may have built it while this one awaited the endpoints.
      transport =
        this.databaseTransports.get(key) ??
        this.bearerTransport(dbApiUrl, this.databaseToken(database), {
          // A 409 refuses a call while the database is busy with another operation (a backup, a restart): nothing
          // was done, so the call is sent again after a pause (see `settle` in client.ts), a bounded number of times.
          isTransientState: (error) => error.status === 409,
        });
      this.databaseTransports.set(key, transport);
    }
    return transport.request({ ...request, decode });
  }
}
