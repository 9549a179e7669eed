// Wire conventions shared by the emulated Scaleway APIs (RDB v1, Serverless SQL v1alpha1): error bodies and pagination,
// exactly as the real API answers them (see shared/reference/scaleway-rdb.md, "Errors").
import type { EmulatorRequest, EmulatorResponse } from "./framework";

export function scalewayError(
  status: number,
  type: string,
  message: string,
  extra: object = {},
): EmulatorResponse {
  return { status, body: { message, type, ...extra } };
}

export function notFound(resource: string, resourceId: string): EmulatorResponse {
  return scalewayError(404, "not_found", "resource is not found", { resource, resource_id: resourceId });
}

export interface ArgumentProblem {
  argument_name: string;
  reason: "required" | "format" | "constraint" | "unknown";
  help_message: string;
}

export function invalidArguments(details: ArgumentProblem[]): EmulatorResponse {
  return scalewayError(400, "invalid_arguments", "invalid argument(s)", { details });
}

/** 400 for a path parameter the API cannot read (not a UUID, or not valid percent-encoding). */
export function invalidPathArgument(argument: string, helpMessage: string): EmulatorResponse {
  return invalidArguments([{ argument_name: argument, reason: "constraint", help_message: helpMessage }]);
}

/** The percent-encoding answer every emulated Scaleway API gives, naming the parameter as the API does. */
export function malformedPathArgument(argument: string): EmulatorResponse {
  return invalidPathArgument(argument, "must be valid percent-encoded UTF-8");
}

export function transientState(resource: string, resourceId: string, currentState: string): EmulatorResponse {
  return scalewayError(409, "transient_state", `resource is in a transient state: ${currentState}`, {
    resource,
    resource_id: resourceId,
    current_state: currentState,
  });
}

export function preconditionFailed(precondition: string, helpMessage: string): EmulatorResponse {
  return scalewayError(412, "precondition_failed", "precondition failed", {
    precondition,
    help_message: helpMessage,
  });
}

/** Reads `page` (1-based) and `page_size` like the real API, rejecting values it would reject. */
export function readPaging(
  req: EmulatorRequest,
  defaultPageSize = 50,
): { page: number; pageSize: number } | EmulatorResponse {
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
  return problems.length > 0 ? invalidArguments(problems) : { page, pageSize };
}

/** One page of `items` under `key`, with the total count, as every Scaleway list endpoint answers. */
export function pageOf<T>(
  key: string,
  items: T[],
  paging: { page: number; pageSize: number },
): EmulatorResponse {
  const start = (paging.page - 1) * paging.pageSize;
  return {
    status: 200,
    body: { [key]: items.slice(start, start + paging.pageSize), total_count: items.length },
  };
}
