// How every RDB handler reads its request: the caller, an object body, and a list's paging and order.
import type { EmulatorRequest, EmulatorResponse } from "../framework";
import { InvalidArguments, orderNamed, pageOf, readPaging } from "../scaleway-wire";
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

/**
 * Builds handlers that act on the record their path names, then answer it in the status the action has just started
 * (or as it now is when the action announces none).
 */
export function actingOn<R, S>(
  store: RdbStore,
  find: (req: EmulatorRequest) => Promise<R>,
  render: (record: R, now: number, announced?: S) => object,
): (act: (record: R, req: EmulatorRequest) => void, announced?: S) => Handler {
  return (act, announced) => async (req) => {
    const record = await find(req);
    act(record, req);
    return ok(render(record, store.now(), announced));
  };
}

/** How a list route finds and renders its items once the caller, paging and order are read. */
export interface Listing<T, O> {
  key: string;
  orders: Record<string, O>;
  find(caller: Caller, order: O, now: number): Promise<T[]>;
  render(item: T, now: number): object;
}

/** Answers a list route: caller, paging and `order_by` checked in the API's order, then one page of items. */
export async function listPage<T, O>(
  store: RdbStore,
  req: EmulatorRequest,
  listing: Listing<T, O>,
): Promise<EmulatorResponse> {
  const caller = store.caller(req);
  const paging = readPaging(req);
  const order = orderNamed(listing.orders, req.query.get("order_by") ?? "created_at_asc");
  const now = store.now();
  const items = await listing.find(caller, order, now);
  return pageOf(
    listing.key,
    items.map((item) => listing.render(item, now)),
    paging,
  );
}
