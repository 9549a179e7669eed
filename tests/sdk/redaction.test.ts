// Secrets never show: auth tokens, passwords and presigned URL signatures are redacted in error messages,
// JSON.stringify, String(), stacks, util.inspect and log lines, including errors built from axios failures.
import { inspect } from "node:util";
import { TokenBucket } from "../../sdk/core/rate-limiter";
import { redactDownloadUrl, redactHeaders, redactText, redactUrl } from "../../sdk/core/redact";
import { RdbApi } from "../../sdk/scaleway/rdb/v1/api";
import { INSTANCE_ID, sendJson, startServer, wireBackup } from "./helpers";

const SECRET_KEY = "0b7e2f1a-5b8c-4d2e-9f3a-redaction-token";
const PASSWORD = "thiZ_is_v&ry_s3cret";
const PRESIGNED =
  "https://s3.nl-ams.scw.cloud/bucket/backup.custom?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20251210&X-Amz-Signature=deadbeefcafe0123";
const SECRETS = [SECRET_KEY, PASSWORD, "X-Amz-Signature=deadbeef", "AKIAEXAMPLE", "deadbeefcafe0123"];

function renderings(error: unknown): string[] {
  return [JSON.stringify(error), String(error), (error as Error).stack ?? "", inspect(error, { depth: 10 })];
}

function expectNoSecret(texts: string[]) {
  for (const text of texts) {
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  }
}

function api(url: string, lines: string[]) {
  return new RdbApi({
    apiUrl: url,
    secretKey: SECRET_KEY,
    defaultProjectId: "105bdce1-64c0-48ab-899d-868455867ecf",
    rateLimit: new TokenBucket({ ratePerSecond: 1000, burst: 1000 }),
    retry: { maxAttempts: 1 },
    log: (line) => lines.push(line),
    env: {},
  });
}

describe("redaction helpers", () => {
  it("redacts presigned query strings but keeps ordinary ones", () => {
    expect(redactUrl(PRESIGNED)).toBe("https://s3.nl-ams.scw.cloud/bucket/backup.custom?[REDACTED]");
    expect(redactUrl("https://api.scaleway.com/rdb/v1/regions/fr-par/backups?page=2")).toContain("page=2");
    expect(redactDownloadUrl("https://x.test/file?anything=1")).toBe("https://x.test/file?[REDACTED]");
  });

  it("redacts auth headers and inline secrets", () => {
    expect(redactHeaders({ "X-Auth-Token": SECRET_KEY, Accept: "application/json" })).toEqual({
      "X-Auth-Token": "[REDACTED]",
      Accept: "application/json",
    });
    expect(redactText(`{"password":"${PASSWORD}","name":"db"}`)).toBe(
      '{"password":"[REDACTED]","name":"db"}',
    );
    expect(redactText("Authorization: Bearer abc.def.ghi")).toBe("Authorization: Bearer [REDACTED]");
  });
});

/** The error of an instance create carrying the password, sent to `url`; the client's log lines go to `lines`. */
function failedCreate(url: string, lines: string[]): Promise<unknown> {
  return api(url, lines)
    .createInstance({
      name: "db",
      engine: "PostgreSQL-15",
      nodeType: "db-dev-s",
      userName: "u",
      password: PASSWORD,
    })
    .catch((e: unknown) => e);
}

describe("errors and logs never show secrets", () => {
  it("an HTTP error whose body echoes the token, the password and a presigned URL", async () => {
    const server = await startServer((_req, res) =>
      sendJson(res, 400, {
        message: `bad request with token ${SECRET_KEY}, password ${PASSWORD} and url ${PRESIGNED}`,
        type: "invalid_arguments",
        details: [
          { argument_name: "password", reason: "constraint", help_message: `"password":"${PASSWORD}"` },
        ],
      }),
    );
    const lines: string[] = [];
    try {
      const error = await failedCreate(server.url, lines);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toContain("[REDACTED]");
      expectNoSecret(renderings(error));
      expectNoSecret(lines);
      expect(lines.length).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it("a network error built from an axios failure (whose config holds the headers)", async () => {
    const server = await startServer((_req, res) => res.socket?.destroy());
    const lines: string[] = [];
    try {
      const error = await failedCreate(server.url, lines);
      expect((error as { status: number }).status).toBe(0);
      const rendered = renderings(error);
      expectNoSecret(rendered);
      expect(rendered.join("\n")).not.toMatch(/AxiosError|x-auth-token/i);
      expect((error as { cause: unknown }).cause).not.toHaveProperty("config");
      expectNoSecret(lines);
    } finally {
      await server.close();
    }
  });

  it("log lines of a successful export do not show the presigned download URL", async () => {
    const server = await startServer((_req, res) => sendJson(res, 200, wireBackup("ready", PRESIGNED)));
    const lines: string[] = [];
    try {
      const backup = await api(server.url, lines).getDatabaseBackup({ databaseBackupId: INSTANCE_ID });
      expect(backup.downloadUrl).toBe(PRESIGNED);
      expectNoSecret(lines);
    } finally {
      await server.close();
    }
  });
});
