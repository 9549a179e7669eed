// What every Scaleway regional API client shares: the client and its transport, how writes wait to settle, the
// region and project defaults, and the call that prefixes `/{product}/{version}/regions/{region}` and decodes the wire.
import type { z } from "zod";
import { RequestValidationError } from "../core/errors";
import { listAll } from "../core/pagination";
import type { CallOptions, HttpMethod, QueryValue } from "../core/transport";
import type { WaitSettings } from "../core/waiter";
import { regionParam, ScalewayClient } from "./client";
import type { ScalewayClientOptions } from "./config";
import { unmarshalRdbResponse } from "./rdb/v1/marshalling";

export interface RegionalCall<T> extends CallOptions {
  region: string;
  method: HttpMethod;
  path: string;
  schema: z.ZodType<T>;
  query?: Record<string, QueryValue>;
  body?: unknown;
  idempotent?: boolean;
  /** When the API answers 409 transient_state, wait for this before re-sending. */
  settle?: () => Promise<unknown>;
}

export interface RegionalApiOptions {
  /** Wait settings used when a write must wait for its resource to settle (poll policy, deadline…). */
  settleWait?: WaitSettings;
}

export abstract class RegionalApi {
  readonly client: ScalewayClient;
  protected readonly settleWait: WaitSettings;

  protected constructor(
    client: ScalewayClient | ScalewayClientOptions,
    options: RegionalApiOptions,
    /** e.g. `/rdb/v1`. */
    private readonly pathPrefix: string,
    private readonly regions: readonly string[],
  ) {
    this.client = client instanceof ScalewayClient ? client : new ScalewayClient(client);
    this.settleWait = options.settleWait ?? {};
  }

  protected region(region: string | undefined): string {
    return regionParam(region, this.client.config.defaultRegion, this.regions);
  }

  protected projectId(projectId: string | undefined): string {
    const value = projectId ?? this.client.config.defaultProjectId;
    if (!value) {
      throw new RequestValidationError(
        "projectId",
        "is required: pass it or set SCW_DEFAULT_PROJECT_ID / the defaultProjectId option",
      );
    }
    return value;
  }

  /** Every item of a paginated list: `list` fetches one page, `key` names where a page keeps its items. */
  protected listEvery<R extends { pageSize?: number }, K extends string, I>(
    list: (
      request: R & { page: number; pageSize: number },
    ) => Promise<{ [key in K]: I[] } & { totalCount: number }>,
    request: R,
    key: K,
  ): Promise<I[]> {
    return listAll(
      async (page, pageSize) => {
        const answer = await list({ ...request, page, pageSize });
        return { items: answer[key], totalCount: answer.totalCount };
      },
      { pageSize: request.pageSize },
    );
  }

  protected async call<T>(call: RegionalCall<T>): Promise<T> {
    const settle = call.settle;
    return this.client.transport.request({
      method: call.method,
      path: `${this.pathPrefix}/regions/${call.region}${call.path}`,
      query: call.query,
      body: call.body,
      schema: call.schema,
      // Every Scaleway API speaks the same snake_case JSON.
      decode: unmarshalRdbResponse,
      idempotent: call.idempotent,
      settle: settle && (async () => void (await settle())),
      signal: call.signal,
      retryBudgetMs: call.retryBudgetMs,
      onRetry: call.onRetry,
    });
  }
}
