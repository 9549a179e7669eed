// How a Scaleway regional API client is built from its definition: each endpoint becomes a method that validates,
// marshals, sends to `/{product}/{version}/regions/{region}…`, decodes and parses; all-pages lists and waits too.
import type { z } from "zod";
import { RequestValidationError, validateRequest } from "../core/errors";
import { addMethods, type RequestMethod } from "../core/method-table";
import { listAll } from "../core/pagination";
import { credentialTag, pagedList, type SharedPolling } from "../core/shared-poller";
import type { CallOptions, HttpMethod, QueryValue } from "../core/transport";
import { type WaitSettings, type Watched, waitUntilGone, waitUntilSteady } from "../core/waiter";
import { pathParam, regionParam, ScalewayClient } from "./client";
import type { ScalewayClientOptions } from "./config";
import type { ScalewayMarshalling } from "./marshalling";

/** The fields a regional endpoint reads besides those of its path and body. */
type RegionalRequest = {
  region?: string;
  projectId?: string;
};

/** A `{field}` of an endpoint's path. */
const PATH_PARAMETER = /\{(\w+)\}/g;

/** What a settle step answers to end its call with a value of its own instead of re-sending the request. */
export class SettledAnswer<T> extends Error {
  constructor(readonly answer: T) {
    super("the settle step answered the call itself");
  }
}

/** One endpoint of a regional API, from which its method is built. */
export interface Endpoint<Req extends z.ZodType<RegionalRequest>, Res extends z.ZodType, Api = unknown> {
  method: HttpMethod;
  /** Below `/{product}/{version}/regions/{region}`; each `{field}` stands for that request field, checked and encoded. */
  path: string;
  request: Req;
  response: Res;
  /** Whether re-sending is harmless (see `RequestOptions.idempotent`); by default, what the method says. */
  idempotent?: boolean;
  /** A create: the project defaults to the client's `defaultProjectId`. */
  defaultProject?: boolean;
  /**
   * When the API answers 409 transient_state, waits for the resource to settle before the request is re-sent; `wait`
   * holds the API's settle-wait settings. A step that returns `answer(value)` ends the call with that value instead.
   */
  settle?(
    api: Api,
    request: z.output<Req>,
    wait: WaitSettings,
    answer: (value: z.output<Res>) => SettledAnswer<z.output<Res>>,
  ): Promise<unknown>;
}

type AnyEndpoint = Endpoint<z.ZodType<RegionalRequest>, z.ZodType, never>;
type EndpointTable = Record<string, AnyEndpoint>;

/** A method that collects every page of one of the table's list endpoints. */
export interface AllPages<E extends EndpointTable> {
  /** The list endpoint. */
  list: keyof E & string;
  /** The field of its answer that holds a page's items. */
  items: string;
}

type AllPagesTable<E extends EndpointTable> = Record<string, AllPages<E>>;

type EndpointMethods<E extends EndpointTable> = {
  [K in keyof E]: RequestMethod<z.input<E[K]["request"]>, z.output<E[K]["response"]>>;
};

type PageItem<E extends EndpointTable, P extends AllPages<E>> =
  z.output<E[P["list"]]["response"]> extends Record<P["items"], ReadonlyArray<infer Item>> ? Item : never;

type AllPagesMethods<E extends EndpointTable, P extends AllPagesTable<E>> = {
  [K in keyof P]: RequestMethod<Omit<z.input<E[P[K]["list"]]["request"]>, "page">, PageItem<E, P[K]>[]>;
};

/** A wait of the API: until the resource `watch` describes is steady (answering it), or until it is gone. */
export interface Waiter<Request, Resource, Api = unknown> {
  until: "steady" | "gone";
  watch(api: Api, request: Request): Watched<Resource>;
}

/** How waits watch one kind of resource of a regional API, which a request names by its region and an id field. */
export interface WatchedKind<Api, Request extends RegionalRequest, Resource>
  extends Omit<Watched<Resource>, "resource" | "fetch" | "shared"> {
  /** Names a resource of the kind in messages, before its id, e.g. `instance`. */
  noun: string;
  /** The request field that holds the id. */
  idField: keyof Request & string;
  /** Fetches one resource; the request holds only the region and the id. */
  get(api: Api, request: Request, options: CallOptions): Promise<Resource>;
  /** The shared poll loop the waits look through, for kinds that have one. */
  shared?(api: Api, region: string | undefined, id: string): SharedPolling | undefined;
}

/**
 * The process-wide poll loop for one kind of a regional API in the request's region and the client's default project
 * (same API URL and secret key): one paginated list per tick serves every waiter. Without a default project, waiters
 * GET alone. `kind` names the loop (e.g. `rdb-instances`); `listPage` reads one page of the project's objects, newest
 * first (objects being waited for are mostly new ones: the list stops at the first page that showed them all).
 */
export function regionalSharedPolling(
  client: ScalewayClient,
  scope: { kind: string; regions: readonly string[]; region: string | undefined; id: string },
  listPage: (
    request: {
      region: string;
      projectId: string;
      orderBy: "created_at_desc";
      page: number;
      pageSize: number;
    },
    options: CallOptions,
  ) => Promise<{ items: Array<{ id: string; createdAt: string | null }>; totalCount: number }>,
): SharedPolling | undefined {
  const { apiUrl, secretKey, defaultProjectId: projectId, defaultRegion } = client.config;
  if (!projectId) return undefined;
  const region = regionParam(scope.region, defaultRegion, scope.regions);
  return {
    key: `${scope.kind} ${apiUrl} ${credentialTag(secretKey)} ${region} ${projectId}`,
    id: scope.id,
    list: pagedList((page, pageSize, options) =>
      listPage({ region, projectId, orderBy: "created_at_desc", page, pageSize }, options),
    ),
  };
}

/** The `watch` of the waits of one kind of resource. */
export function watchKind<Api, Request extends RegionalRequest, Resource>(
  kind: WatchedKind<Api, Request, Resource>,
): (api: Api, request: Request) => Watched<Resource> {
  const { noun, idField, get, shared, ...watched } = kind;
  return (api, request) => {
    const id = String(request[idField]);
    // Only the region and the id: the request may be a write's, whose other fields the GET would refuse.
    const named = { region: request.region, [idField]: request[idField] } as Request;
    return {
      ...watched,
      resource: `${noun} ${id}`,
      shared: shared?.(api, request.region, id),
      fetch: (signal, retry) => get(api, named, { signal, ...retry }),
    };
  };
}

type WaiterTable = Record<string, { until: "steady" | "gone"; watch(api: never, request: never): unknown }>;

type WaiterMethods<W extends WaiterTable> = {
  [K in keyof W]: W[K] extends Waiter<infer Request, infer Resource, never>
    ? (request: Request, settings?: WaitSettings) => Promise<W[K]["until"] extends "gone" ? void : Resource>
    : never;
};

/** Where an API lives and how it speaks. */
export interface RegionalApiWire {
  /** e.g. `/rdb/v1`. */
  pathPrefix: string;
  regions: readonly string[];
  marshalling: ScalewayMarshalling;
}

/** An API as data: where it lives, its endpoints, the methods that collect every page of a list, its waits. */
export interface RegionalApiDefinition<
  E extends EndpointTable,
  P extends AllPagesTable<E>,
  W extends WaiterTable,
> extends RegionalApiWire {
  endpoints: E;
  allPages: P;
  waiters: W;
}

type AnyDefinition = RegionalApiDefinition<EndpointTable, AllPagesTable<EndpointTable>, WaiterTable>;

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
    private readonly wire: RegionalApiWire,
  ) {
    this.client = client instanceof ScalewayClient ? client : new ScalewayClient(client);
    this.settleWait = options.settleWait ?? {};
  }

  protected region(region: string | undefined): string {
    return regionParam(region, this.client.config.defaultRegion, this.wire.regions);
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

  /** Sends one endpoint's request: nothing is sent before the request, its region and path parameters are valid. */
  protected async invoke(
    endpoint: AnyEndpoint,
    request: unknown,
    options: CallOptions = {},
  ): Promise<unknown> {
    const given = request === undefined && endpoint.request.safeParse({}).success ? {} : request;
    const validated: RegionalRequest & Record<string, unknown> = validateRequest(endpoint.request, given);
    const region = this.region(validated.region);
    const path = endpoint.path.replace(PATH_PARAMETER, (_match, field: string) =>
      pathParam(field, validated[field]),
    );
    const fields = endpoint.defaultProject
      ? { ...validated, projectId: this.projectId(validated.projectId) }
      : validated;
    // The class built from the table provides what its settle steps call back (its `implements` clause checks it).
    const { settle } = endpoint as Endpoint<z.ZodType<RegionalRequest>, z.ZodType, this>;
    try {
      return await this.client.transport.request({
        method: endpoint.method,
        path: `${this.wire.pathPrefix}/regions/${region}${path}`,
        ...this.wireFields(endpoint, fields),
        schema: endpoint.response,
        decode: this.wire.marshalling.response,
        idempotent: endpoint.idempotent,
        settle:
          settle &&
          (async () => {
            const outcome = await settle(
              this,
              validated,
              this.settleWait,
              (value) => new SettledAnswer(value),
            );
            if (outcome instanceof SettledAnswer) throw outcome;
          }),
        ...options,
      });
    } catch (error) {
      if (error instanceof SettledAnswer) return error.answer;
      throw error;
    }
  }

  /** GET sends the fields in the query string; DELETE sends a body only when it has fields; other methods always do. */
  private wireFields(
    endpoint: AnyEndpoint,
    fields: Record<string, unknown>,
  ): { query?: Record<string, QueryValue>; body?: Record<string, unknown> } {
    const pathFields = ["region", ...Array.from(endpoint.path.matchAll(PATH_PARAMETER), (match) => match[1])];
    const { marshalling } = this.wire;
    if (endpoint.method === "GET") return { query: marshalling.query(fields, pathFields) };
    const body = marshalling.body(fields, pathFields);
    return endpoint.method === "DELETE" && Object.keys(body).length === 0 ? {} : { body };
  }

  /** Every item of a list endpoint, page after page; `items` names the field of an answer that holds a page. */
  protected allPages(
    list: AnyEndpoint,
    items: string,
    request: { pageSize?: number } | undefined,
    options: CallOptions | undefined,
  ): Promise<unknown[]> {
    return listAll(
      async (page, pageSize) => {
        const answer = (await this.invoke(list, { ...request, page, pageSize }, options)) as ListAnswer;
        return { items: answer[items] as unknown[], totalCount: answer.totalCount };
      },
      { pageSize: request?.pageSize },
    );
  }
}

/** A page of a list endpoint, as its response schema parses it. */
type ListAnswer = { totalCount: number } & Record<string, unknown>;

/** The class `regionalApi` builds from a definition: a RegionalApi with one method per entry of its tables. */
export type RegionalApiClass<D extends AnyDefinition> = abstract new (
  client?: ScalewayClient | ScalewayClientOptions,
  options?: RegionalApiOptions,
) => RegionalApi &
  EndpointMethods<D["endpoints"]> &
  AllPagesMethods<D["endpoints"], D["allPages"]> &
  WaiterMethods<D["waiters"]>;

/** Checks an API's definition and keeps its literal types, from which `regionalApi` types the methods. */
export function defineRegionalApi<
  const E extends EndpointTable,
  const P extends AllPagesTable<E>,
  const W extends WaiterTable,
>(definition: RegionalApiDefinition<E, P, W>): RegionalApiDefinition<E, P, W> {
  return definition;
}

/** The base class of an API: one method per entry of its tables, documented by the entry's JSDoc. */
export function regionalApi<D extends AnyDefinition>(definition: D): RegionalApiClass<D> {
  abstract class DefinedApi extends RegionalApi {
    constructor(client: ScalewayClient | ScalewayClientOptions = {}, options: RegionalApiOptions = {}) {
      super(client, options, definition);
    }

    static {
      const { endpoints, allPages, waiters } = definition;
      addMethods(DefinedApi.prototype, endpoints, (endpoint) => {
        return function (this: DefinedApi, request?: unknown, options?: CallOptions) {
          return this.invoke(endpoint, request, options);
        };
      });
      addMethods(DefinedApi.prototype, allPages, (pages) => {
        return function (this: DefinedApi, request?: object, options?: CallOptions) {
          return this.allPages(endpoints[pages.list], pages.items, request, options);
        };
      });
      addMethods(DefinedApi.prototype, waiters, (waiter) => {
        return async function (this: DefinedApi, request: never, settings?: WaitSettings) {
          // The class built from the table provides what its waits call back (its `implements` clause checks it).
          const watched = (waiter as Waiter<never, unknown, DefinedApi>).watch(this, request);
          return waiter.until === "gone"
            ? waitUntilGone(watched, settings)
            : waitUntilSteady(watched, settings);
        };
      });
    }
  }
  return DefinedApi as unknown as RegionalApiClass<D>;
}
