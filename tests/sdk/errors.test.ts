// Scaleway error parsing: each API error type maps to its class, and a body that does not fit its type is refused
// (falls back to the base ApiError). Also the mapping through a real server answer.
import { ApiError } from "../../sdk/core/errors";
import {
  AlreadyExistsError,
  DeniedAuthenticationError,
  InvalidArgumentsError,
  LockedError,
  NotFoundError,
  PermissionsDeniedError,
  PreconditionFailedError,
  parseScalewayError,
  QuotasExceededError,
  TooManyRequestsError,
  TransientStateError,
} from "../../sdk/scaleway/errors";
import { RdbApi } from "../../sdk/scaleway/rdb/v1/api";
import { INSTANCE_ID, sendJson, startServer, testClientOptions } from "./helpers";

const request = { method: "GET", url: "https://api.scaleway.com/rdb/v1/regions/fr-par/instances/x" };
const parse = (status: number, body: unknown) => parseScalewayError({ status, body, headers: {}, request });

const about = { resource: "instance", resource_id: INSTANCE_ID };

describe.each([
  {
    cls: NotFoundError,
    status: 404,
    valid: { message: "resource is not found", type: "not_found", ...about },
    invalid: undefined,
    check: (e: ApiError) => expect(e.resourceId).toBe(INSTANCE_ID),
  },
  {
    cls: InvalidArgumentsError,
    status: 400,
    valid: {
      message: "invalid argument(s)",
      type: "invalid_arguments",
      details: [
        { argument_name: "volume_size", reason: "constraint", help_message: "must be a multiple of 5 GB" },
      ],
    },
    invalid: { message: "invalid argument(s)", type: "invalid_arguments", details: "nope" },
    check: (e: ApiError) => {
      expect((e as InvalidArgumentsError).fields).toEqual([
        { argumentName: "volume_size", reason: "constraint", helpMessage: "must be a multiple of 5 GB" },
      ]);
      expect(e.message).toContain("volume_size: must be a multiple of 5 GB");
    },
  },
  {
    cls: TransientStateError,
    status: 409,
    valid: { message: "busy", type: "transient_state", ...about, current_state: "backuping" },
    invalid: { message: "busy", type: "transient_state", ...about },
    check: (e: ApiError) => expect((e as TransientStateError).currentState).toBe("backuping"),
  },
  {
    cls: QuotasExceededError,
    status: 403,
    valid: {
      message: "quota exceeded",
      type: "quotas_exceeded",
      details: [{ resource: "rdb_instances", quota: 2, current: 2 }],
    },
    invalid: { message: "quota exceeded", type: "quotas_exceeded", details: [{ resource: "x" }] },
    check: (e: ApiError) =>
      expect((e as QuotasExceededError).quotas[0]).toEqual({
        resource: "rdb_instances",
        quota: 2,
        current: 2,
      }),
  },
  {
    cls: PermissionsDeniedError,
    status: 403,
    valid: { message: "insufficient permissions", type: "permissions_denied", details: [] },
    invalid: { message: "insufficient permissions", type: "permissions_denied" },
    check: (e: ApiError) => expect((e as PermissionsDeniedError).permissions).toEqual([]),
  },
  {
    cls: DeniedAuthenticationError,
    status: 401,
    valid: {
      message: "authentication denied",
      type: "denied_authentication",
      method: "api_key",
      reason: "invalid",
    },
    invalid: { message: "authentication denied", type: "denied_authentication", method: 7 },
    check: (e: ApiError) => expect((e as DeniedAuthenticationError).reason).toBe("invalid"),
  },
  {
    cls: PreconditionFailedError,
    status: 412,
    valid: {
      message: "precondition failed",
      type: "precondition_failed",
      precondition: "resource_still_in_use",
    },
    invalid: { message: "precondition failed", type: "precondition_failed" },
    check: (e: ApiError) => expect((e as PreconditionFailedError).precondition).toBe("resource_still_in_use"),
  },
  {
    cls: LockedError,
    status: 423,
    valid: { message: "resource is locked", type: "locked", ...about },
    invalid: undefined,
    check: (e: ApiError) => expect(e.resource).toBe("instance"),
  },
  {
    cls: TooManyRequestsError,
    status: 429,
    valid: {
      message: "too many requests",
      type: "too_many_requests",
      limit: { quota: 100, window_seconds: 60 },
    },
    invalid: { message: "too many requests", type: "too_many_requests", limit: { quota: "a lot" } },
    check: (e: ApiError) =>
      expect((e as TooManyRequestsError).limit).toEqual({ quota: 100, windowSeconds: 60 }),
  },
  {
    cls: AlreadyExistsError,
    status: 409,
    valid: { message: "resource already exists", type: "already_exists", ...about },
    invalid: undefined,
    check: (e: ApiError) => expect(e.resourceId).toBe(INSTANCE_ID),
  },
])("$cls.name", ({ cls, status, valid, invalid, check }) => {
  it("parses a valid body", () => {
    const error = parse(status, valid);
    expect(error).toBeInstanceOf(cls);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(status);
    expect(error.type).toBe(valid.type);
    check(error);
  });

  if (invalid) {
    it("refuses an invalid body (falls back to ApiError)", () => {
      const error = parse(status, invalid);
      expect(error).not.toBeInstanceOf(cls);
      expect(error.constructor).toBe(ApiError);
      expect(error.type).toBe(invalid.type);
    });
  }
});

it("maps unknown types and non-JSON bodies to the base ApiError", () => {
  const unknown = parse(418, { message: "teapot", type: "i_am_a_teapot" });
  expect(unknown.constructor).toBe(ApiError);
  expect(unknown.type).toBe("i_am_a_teapot");
  const html = parse(500, "<html>oops</html>");
  expect(html.constructor).toBe(ApiError);
  expect(html.type).toBe("http_500");
  expect(html.message).toContain("<html>oops</html>");
});

it("maps a real server's error answer, with the request id", async () => {
  const server = await startServer((_req, res) =>
    sendJson(
      res,
      404,
      { message: "resource is not found", type: "not_found", ...about },
      { "X-Request-Id": "req-42" },
    ),
  );
  try {
    const api = new RdbApi(testClientOptions(server.url));
    const error = await api.getInstance({ instanceId: INSTANCE_ID }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({
      status: 404,
      requestId: "req-42",
      resource: "instance",
      resourceId: INSTANCE_ID,
    });
    expect((error as Error).message).toBe(
      `GET ${server.url}/rdb/v1/regions/fr-par/instances/${INSTANCE_ID} failed with HTTP 404: resource is not found`,
    );
  } finally {
    await server.close();
  }
});
