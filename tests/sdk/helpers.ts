// Test helper: a real HTTP server on 127.0.0.1:0 whose answers each test scripts, recording every request it got, and
// the client options, sleeps, requests and recorded bodies the SDK (and CLI) suites use with it.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { TokenBucket } from "../../sdk/core/rate-limiter";
import type { CreateInstanceRequest } from "../../sdk/scaleway/rdb/v1/types";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

export type Handler = (request: RecordedRequest, response: ServerResponse) => void;

export interface TestServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const recorded = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(recorded);
      handler(recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(body === undefined ? "" : JSON.stringify(body));
}

export const TEST_SECRET_KEY = "scw-secret-0123456789";

/** Client options for a test server: a fake key, a rate limit too high to ever wait, and no environment read. */
export function testClientOptions(apiUrl: string) {
  return {
    apiUrl,
    secretKey: TEST_SECRET_KEY,
    rateLimit: new TokenBucket({ ratePerSecond: 1000, burst: 1000 }),
    env: {},
  };
}

/** A sleep that records the delays asked for and returns at once, so retry and poll timing is checked, not waited. */
export function recordingSleep(clock?: { now: number }) {
  const delays: number[] = [];
  const sleep = async (ms: number, signal?: AbortSignal) => {
    if (signal?.aborted) throw signal.reason;
    delays.push(ms);
    if (clock) clock.now += ms;
  };
  return { delays, sleep };
}

export const INSTANCE_ID = "c7a95b39-a057-4188-a1e9-183b7ff6acf8";
export const BACKUP_ID = "f2d83106-4278-4133-8b76-8b8665c6cc16";

/** A small PostgreSQL 15 instance on an SBS volume, automatic backups off: what a suite creates to have one to act on. */
export function smallInstanceRequest(name: string): CreateInstanceRequest {
  return {
    name,
    engine: "PostgreSQL-15",
    nodeType: "DB-DEV-S",
    userName: "admin_user",
    password: "thiZ_is_v&ry_s3cret",
    volumeType: "sbs_5k",
    volumeSize: 10_000_000_000,
    disableBackup: true,
  };
}

/** A real recorded instance body (instance-basic), with the given status. */
export function wireInstance(status: string, id = INSTANCE_ID): Record<string, unknown> {
  return {
    backup_same_region: false,
    backup_schedule: { disabled: true, frequency: 24, next_run_at: null, retention: 7 },
    created_at: "2025-12-10T05:02:19.853827Z",
    encryption: { enabled: false },
    endpoint: null,
    endpoints: [],
    engine: "PostgreSQL-15",
    id,
    init_settings: [],
    is_ha_cluster: false,
    logs_policy: { max_age_retention: 30, total_disk_retention: null },
    maintenances: [],
    name: "test-instance",
    node_type: "db-dev-s",
    organization_id: "105bdce1-64c0-48ab-899d-868455867ecf",
    project_id: "105bdce1-64c0-48ab-899d-868455867ecf",
    read_replicas: [],
    region: "fr-par",
    settings: [],
    status,
    tags: [],
    upgradable_version: [],
    volume: { class: "sbs", size: 10000000000, type: "sbs_5k" },
  };
}

export function wireBackup(status: string, downloadUrl: string | null = null): Record<string, unknown> {
  return {
    created_at: "2025-12-10T05:06:25.211540Z",
    database_name: "test_db",
    download_url: downloadUrl,
    download_url_expires_at: downloadUrl ? "2025-12-11T05:06:56.611123Z" : null,
    expires_at: null,
    id: BACKUP_ID,
    instance_id: INSTANCE_ID,
    instance_name: "test-instance",
    name: "test-backup",
    region: "fr-par",
    same_region: false,
    size: 1255,
    status,
    updated_at: null,
  };
}
