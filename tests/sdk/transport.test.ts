// The transport against a real loopback server: retries and backoff, Retry-After, no blind re-send of creates,
// timeouts, 401 re-authentication, 409 settling, headers, response validation and path-parameter validation.

import { z } from "zod";
import {
  ApiError,
  NetworkError,
  RequestValidationError,
  UnexpectedResponseError,
} from "../../sdk/core/errors";
import { TokenBucket } from "../../sdk/core/rate-limiter";
import { Transport } from "../../sdk/core/transport";
import { fixedPollPolicy } from "../../sdk/core/waiter";
import { parseScalewayError, TransientStateError } from "../../sdk/scaleway/errors";
import { RdbApi } from "../../sdk/scaleway/rdb/v1/api";
import { INSTANCE_ID, recordingSleep, sendJson, startServer, type TestServer, wireInstance } from "./helpers";

const unlimited = () => new TokenBucket({ ratePerSecond: 1e6, burst: 1e6 });

function rdbApi(
  server: TestServer,
  extra: { sleep?: (ms: number) => Promise<void>; log?: (l: string) => void } = {},
) {
  return new RdbApi(
    {
      apiUrl: server.url,
      secretKey: "scw-secret-0123456789",
      defaultProjectId: "105bdce1-64c0-48ab-899d-868455867ecf",
      rateLimit: unlimited(),
      random: () => 0.5,
      retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 5000 },
      sleep: extra.sleep ?? (async () => {}),
      log: extra.log,
      env: {},
    },
    { settleWait: { pollPolicy: fixedPollPolicy(0), sleep: async () => {} } },
  );
}

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("retries", () => {
  it("retries a GET on 503 with full-jitter exponential backoff, then succeeds", async () => {
    let calls = 0;
    server = await startServer((_req, res) => {
      calls++;
      if (calls <= 2) sendJson(res, 503, { message: "unavailable", type: "unknown" });
      else sendJson(res, 200, wireInstance("ready"));
    });
    const { delays, sleep } = recordingSleep();
    const instance = await rdbApi(server, { sleep }).getInstance({ instanceId: INSTANCE_ID });
    expect(instance.status).toBe("ready");
    expect(server.requests).toHaveLength(3);
    // random() = 0.5: half of 100 ms, then half of 200 ms.
    expect(delays).toEqual([50, 100]);
  });

  it("honours Retry-After in seconds and as an HTTP date", async () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    let calls = 0;
    server = await startServer((_req, res) => {
      calls++;
      if (calls === 1)
        sendJson(res, 429, { message: "slow down", type: "too_many_requests" }, { "Retry-After": "2" });
      else if (calls === 2) {
        sendJson(
          res,
          429,
          { message: "slow down", type: "too_many_requests" },
          {
            "Retry-After": new Date(now + 3000).toUTCString(),
          },
        );
      } else sendJson(res, 200, {});
    });
    const { delays, sleep } = recordingSleep();
    const transport = new Transport({
      baseUrl: server.url,
      parseError: parseScalewayError,
      sleep,
      now: () => now,
      retry: { maxDelayMs: 60_000 },
    });
    await transport.request({ method: "POST", path: "/things", body: {}, schema: z.object({}) });
    expect(delays).toEqual([2000, 3000]);
    expect(server.requests).toHaveLength(3);
  });

  it("re-sends a create after a 429, which proves the request was not processed", async () => {
    let calls = 0;
    server = await startServer((_req, res) => {
      calls++;
      if (calls === 1)
        sendJson(res, 429, { message: "slow down", type: "too_many_requests" }, { "Retry-After": "0" });
      else sendJson(res, 200, wireInstance("provisioning"));
    });
    const created = await rdbApi(server).createInstance({
      name: "db",
      engine: "PostgreSQL-15",
      nodeType: "DB-DEV-S",
    });
    expect(created.status).toBe("provisioning");
    expect(server.requests.filter((r) => r.method === "POST")).toHaveLength(2);
  });

  it("does not re-send a create after a 503, which a gateway may give for a request it forwarded", async () => {
    server = await startServer((_req, res) =>
      sendJson(res, 503, { message: "unavailable", type: "unknown" }),
    );
    const error = await rdbApi(server)
      .createInstance({ name: "db", engine: "PostgreSQL-15", nodeType: "db-dev-s" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(503);
    expect(server.requests).toHaveLength(1);
  });

  it("passes a 429 on when Retry-After asks for longer than the client will wait", async () => {
    server = await startServer((_req, res) =>
      sendJson(res, 429, { message: "slow down", type: "too_many_requests" }, { "Retry-After": "3600" }),
    );
    const error = await rdbApi(server)
      .getInstance({ instanceId: INSTANCE_ID })
      .catch((e: unknown) => e);
    expect((error as ApiError).status).toBe(429);
    expect(server.requests).toHaveLength(1);
  });

  it("rejects an unknown request property before sending anything", async () => {
    server = await startServer((_req, res) => sendJson(res, 200, wireInstance("provisioning")));
    const misspelt = { name: "db", engine: "PostgreSQL-15", nodeType: "db-dev-s", volumesize: 3 };
    await expect(rdbApi(server).createInstance(misspelt as never)).rejects.toThrow(/volumesize/);
    expect(server.requests).toHaveLength(0);
  });

  it("does not re-send a create whose connection dropped (it may have been processed)", async () => {
    const dropping = await startServer((_req, res) => res.socket?.destroy());
    try {
      const error = await rdbApi(dropping)
        .createInstance({ name: "db", engine: "PostgreSQL-15", nodeType: "db-dev-s" })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NetworkError);
      expect((error as NetworkError).status).toBe(0);
      expect((error as NetworkError).code).toMatch(/ECONNRESET/);
      expect(dropping.requests).toHaveLength(1);
    } finally {
      await dropping.close();
    }
  });

  it("re-sends an idempotent GET whose connection dropped", async () => {
    let calls = 0;
    server = await startServer((_req, res) => {
      calls++;
      if (calls === 1) res.socket?.destroy();
      else sendJson(res, 200, wireInstance("ready"));
    });
    const instance = await rdbApi(server).getInstance({ instanceId: INSTANCE_ID });
    expect(instance.id).toBe(INSTANCE_ID);
    expect(server.requests).toHaveLength(2);
  });

  it("retries 502 for a GET but not for a POST create", async () => {
    server = await startServer((_req, res) =>
      sendJson(res, 502, { message: "bad gateway", type: "unknown" }),
    );
    const api = rdbApi(server);
    await expect(api.getInstance({ instanceId: INSTANCE_ID })).rejects.toMatchObject({ status: 502 });
    expect(server.requests).toHaveLength(4);
    await expect(
      api.createDatabaseBackup({ instanceId: INSTANCE_ID, databaseName: "db", name: "b" }),
    ).rejects.toMatchObject({ status: 502 });
    expect(server.requests).toHaveLength(5);
  });

  it("gives up after the bounded number of attempts on refused connections", async () => {
    const closed = await startServer(() => {});
    await closed.close();
    const { delays, sleep } = recordingSleep();
    const api = new RdbApi({
      apiUrl: closed.url,
      secretKey: "scw-secret-0123456789",
      rateLimit: unlimited(),
      retry: { maxAttempts: 3, baseDelayMs: 10 },
      random: () => 1,
      sleep,
      env: {},
    });
    const error = await api.getInstance({ instanceId: INSTANCE_ID }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toBe("ECONNREFUSED");
    expect(delays).toEqual([10, 20]);
  });

  it("times out a request that gets no answer, and retries it when idempotent", async () => {
    server = await startServer(() => {});
    const transport = new Transport({
      baseUrl: server.url,
      parseError: parseScalewayError,
      timeoutMs: 100,
      retry: { maxAttempts: 2 },
      sleep: async () => {},
    });
    const error = await transport
      .request({ method: "GET", path: "/slow", schema: z.object({}) })
      .catch((e) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toMatch(/ECONNABORTED|ETIMEDOUT/);
    expect(server.requests).toHaveLength(2);
  });
});

describe("request shape", () => {
  it("sends the User-Agent, the auth header, JSON, and marshals camelCase to snake_case", async () => {
    server = await startServer((_req, res) => sendJson(res, 200, wireInstance("provisioning")));
    await rdbApi(server).createInstance({
      name: "db",
      engine: "PostgreSQL-15",
      nodeType: "DB-DEV-S",
      volumeType: "sbs_5k",
      volumeSize: 10_000_000_000,
      isHaCluster: false,
      initSettings: [{ name: "max_connections", value: "200" }],
    });
    const [request] = server.requests;
    expect(request.url).toBe("/rdb/v1/regions/fr-par/instances");
    expect(request.headers["user-agent"]).toBe("pulumi-dbaas/0.1.0");
    expect(request.headers["x-auth-token"]).toBe("scw-secret-0123456789");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request.body)).toEqual({
      project_id: "105bdce1-64c0-48ab-899d-868455867ecf",
      name: "db",
      engine: "PostgreSQL-15",
      node_type: "DB-DEV-S",
      volume_type: "sbs_5k",
      volume_size: 10_000_000_000,
      is_ha_cluster: false,
      init_settings: [{ name: "max_connections", value: "200" }],
    });
  });

  it("tolerates unknown response fields and rejects bodies that break the schema", async () => {
    let calls = 0;
    server = await startServer((_req, res) => {
      calls++;
      if (calls === 1) sendJson(res, 200, { ...wireInstance("ready"), brand_new_field: { x: 1 } });
      else sendJson(res, 200, { ...wireInstance("ready"), volume: { type: "lssd", size: "big" } });
    });
    const api = rdbApi(server);
    await expect(api.getInstance({ instanceId: INSTANCE_ID })).resolves.toMatchObject({ status: "ready" });
    const error = await api.getInstance({ instanceId: INSTANCE_ID }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as Error).message).toContain("volume.size");
  });

  it("validates path parameters and region before sending anything", async () => {
    server = await startServer((_req, res) => sendJson(res, 200, wireInstance("ready")));
    const api = rdbApi(server);
    await expect(api.getInstance({ instanceId: "" })).rejects.toBeInstanceOf(RequestValidationError);
    await expect(api.getInstance({ instanceId: "a/b" })).rejects.toThrow(/instanceId/);
    await expect(api.getInstance({ region: "us-east", instanceId: INSTANCE_ID })).rejects.toThrow(
      /region: must be one of fr-par, nl-ams, pl-waw/,
    );
    await expect(api.upgradeInstance({ instanceId: INSTANCE_ID })).rejects.toThrow(/exactly one of/);
    await expect(
      api.upgradeInstance({ instanceId: INSTANCE_ID, nodeType: "db-dev-m", enableHa: true }),
    ).rejects.toThrow(/exactly one of/);
    expect(server.requests).toHaveLength(0);
  });

  it("asks for a project id when neither the request nor the configuration has one", async () => {
    server = await startServer((_req, res) => sendJson(res, 200, wireInstance("ready")));
    const api = new RdbApi({ apiUrl: server.url, secretKey: "scw-secret-0123456789", env: {} });
    await expect(
      api.createInstance({ name: "db", engine: "PostgreSQL-15", nodeType: "db-dev-s" }),
    ).rejects.toThrow(/projectId: is required.*SCW_DEFAULT_PROJECT_ID/);
    expect(server.requests).toHaveLength(0);
  });
});

describe("authentication and busy resources", () => {
  it("re-mints credentials once after a 401 and re-sends the request", async () => {
    let token = "tk-old-000000";
    server = await startServer((req, res) => {
      if (req.headers.authorization === "Bearer tk-new-111111") sendJson(res, 200, { ok: true });
      else sendJson(res, 401, { error: "expired" });
    });
    let mints = 0;
    const transport = new Transport({
      baseUrl: server.url,
      parseError: (r) => new ApiError({ status: r.status, type: "http", message: "failed" }),
      auth: async (headers) => {
        headers.Authorization = `Bearer ${token}`;
      },
      onUnauthorized: async () => {
        mints++;
        token = "tk-new-111111";
        return true;
      },
    });
    await expect(
      transport.request({ method: "GET", path: "/x", schema: z.object({ ok: z.boolean() }) }),
    ).resolves.toEqual({
      ok: true,
    });
    expect(mints).toBe(1);
    expect(server.requests).toHaveLength(2);
  });

  it("re-mints at most once when the 401 persists", async () => {
    server = await startServer((_req, res) => sendJson(res, 401, { error: "nope" }));
    let mints = 0;
    const transport = new Transport({
      baseUrl: server.url,
      parseError: (r) => new ApiError({ status: r.status, type: "http", message: "failed" }),
      onUnauthorized: async () => {
        mints++;
        return true;
      },
    });
    await expect(
      transport.request({ method: "GET", path: "/x", schema: z.object({}) }),
    ).rejects.toMatchObject({
      status: 401,
    });
    expect(mints).toBe(1);
    expect(server.requests).toHaveLength(2);
  });

  it("waits for a busy instance after 409 transient_state, then re-sends the write", async () => {
    let patches = 0;
    let gets = 0;
    server = await startServer((req, res) => {
      if (req.method === "PATCH") {
        patches++;
        if (patches === 1) {
          sendJson(res, 409, {
            message: "resource is in a transient state",
            type: "transient_state",
            resource: "instance",
            resource_id: INSTANCE_ID,
            current_state: "backuping",
          });
        } else sendJson(res, 200, { ...wireInstance("ready"), name: "renamed" });
      } else {
        gets++;
        sendJson(res, 200, wireInstance(gets < 3 ? "backuping" : "ready"));
      }
    });
    const updated = await rdbApi(server).updateInstance({ instanceId: INSTANCE_ID, name: "renamed" });
    expect(updated.name).toBe("renamed");
    expect(patches).toBe(2);
    expect(gets).toBe(3);
  });

  it("gives up settling after the bounded number of tries", async () => {
    server = await startServer((req, res) => {
      if (req.method === "GET") sendJson(res, 200, wireInstance("ready"));
      else {
        sendJson(res, 409, {
          message: "busy",
          type: "transient_state",
          resource: "instance",
          resource_id: INSTANCE_ID,
          current_state: "disk_full",
        });
      }
    });
    const error = await rdbApi(server)
      .updateInstance({ instanceId: INSTANCE_ID, tags: ["a"] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientStateError);
    expect((error as TransientStateError).currentState).toBe("disk_full");
    expect(server.requests.filter((r) => r.method === "PATCH")).toHaveLength(4);
  });
});

it("parses a 204 as undefined", async () => {
  server = await startServer((_req, res) => {
    res.writeHead(204);
    res.end();
  });
  await expect(rdbApi(server).renewInstanceCertificate({ instanceId: INSTANCE_ID })).resolves.toBeUndefined();
});
