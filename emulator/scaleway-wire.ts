// Wire conventions shared by the emulated Scaleway APIs (RDB v1, Serverless SQL v1alpha1): their typed errors and the
// bodies they render to, the region check, pagination and ordering, exactly as the real API answers them (see
// shared/reference/scaleway-rdb.md, "Errors").
import { EmulatorError } from "./errors";
import type { EmulatorRequest, EmulatorResponse } from "./framework";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Scaleway ids are UUIDs; the APIs refuse anything else where an id is expected. */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/** An error of a Scaleway API: `{message, type, ...details}` under its HTTP status. */
export class ScalewayError extends EmulatorError {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly details: object = {},
  ) {
    super(message);
  }

  response(): EmulatorResponse {
    return { status: this.status, body: { message: this.message, type: this.type, ...this.details } };
  }
}

export class NotFound extends ScalewayError {
  constructor(resource: string, resourceId: string) {
    super(404, "not_found", "resource is not found", { resource, resource_id: resourceId });
  }
}

export class AlreadyExists extends ScalewayError {
  constructor(resource: string, resourceId: string) {
    super(409, "already_exists", "resource already exists", { resource, resource_id: resourceId });
  }
}

export class TransientState extends ScalewayError {
  constructor(resource: string, resourceId: string, currentState: string) {
    super(409, "transient_state", `resource is in a transient state: ${currentState}`, {
      resource,
      resource_id: resourceId,
      current_state: currentState,
    });
  }
}

export class PreconditionFailed extends ScalewayError {
  constructor(precondition: string, helpMessage: string) {
    super(412, "precondition_failed", "precondition failed", { precondition, help_message: helpMessage });
  }
}

export class PermissionsDenied extends ScalewayError {
  constructor(details: object[]) {
    super(403, "permissions_denied", "insufficient permissions", { details });
  }
}

export interface ArgumentProblem {
  argument_name: string;
  reason: "required" | "format" | "constraint" | "unknown";
  help_message: string;
}

export class InvalidArguments extends ScalewayError {
  constructor(problems: ArgumentProblem[]) {
    super(400, "invalid_arguments", "invalid argument(s)", { details: problems });
  }

  /** One argument breaking a constraint. */
  static constraint(argument: string, helpMessage: string): InvalidArguments {
    return new InvalidArguments([
      { argument_name: argument, reason: "constraint", help_message: helpMessage },
    ]);
  }
}

/** The percent-encoding answer every emulated Scaleway API gives, naming the parameter as the API does. */
export function malformedPathArgument(argument: string): EmulatorResponse {
  return InvalidArguments.constraint(argument, "must be valid percent-encoded UTF-8").response();
}

/** Refuses a region the API does not serve. */
export function checkRegion(region: string, regions: readonly string[]): void {
  if (!regions.includes(region))
    throw InvalidArguments.constraint("region", `must be one of ${regions.join(", ")}`);
}

export interface Paging {
  page: number;
  pageSize: number;
}

/** Reads `page` (1-based) and `page_size` like the real API, rejecting values it would reject. */
export function readPaging(req: EmulatorRequest, defaultPageSize = 50): Paging {
  const page = Number(req.query.get("page") ?? "1");
  const pageSize = Number(req.query.get("page_size") ?? String(defaultPageSize));
  const problems: ArgumentProblem[] = [];
  if (!Number.isInteger(page) || page < 1) {
    problems.push({
      argument_name: "page",
      reason: "constraint",
      help_message: "must be greater or equal to 1",
    });
  }
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
    problems.push({
      argument_name: "page_size",
      reason: "constraint",
      help_message: "must be between 1 and 100",
    });
  }
  if (problems.length > 0) throw new InvalidArguments(problems);
  return { page, pageSize };
}

/** The comparison an `order_by` value names; an unknown value is refused, listing the known ones. */
export function orderNamed<T>(orders: Record<string, T>, orderBy: string, helpMessage?: string): T {
  const order = orders[orderBy];
  if (!order) {
    throw InvalidArguments.constraint(
      "order_by",
      helpMessage ?? `must be one of ${Object.keys(orders).join(", ")}`,
    );
  }
  return order;
}

/** One page of `items` under `key`, with the total count, as every Scaleway list endpoint answers. */
export function pageOf<T>(key: string, items: T[], paging: Paging): EmulatorResponse {
  const start = (paging.page - 1) * paging.pageSize;
  return {
    status: 200,
    body: { [key]: items.slice(start, start + paging.pageSize), total_count: items.length },
  };
}
