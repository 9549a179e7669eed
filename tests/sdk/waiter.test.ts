// Waiters against a scripted server: polling until settled, failure statuses, deadline, abort, 404 = deleted,
// progress reporting, and the default poll policy's bound on detection lag.
import { WaitAbortedError, WaitFailedError, WaitTimeoutError } from "../../sdk/core/errors";
import {
  adaptivePollPolicy,
  DEFAULT_POLL_POLICY,
  fixedPollPolicy,
  type WaitProgress,
} from "../../sdk/core/waiter";
import { RdbApi } from "../../sdk/scaleway/rdb/v1/api";
import { ServerlessSqlApi } from "../../sdk/scaleway/serverless-sqldb/v1alpha1/api";
import {
  BACKUP_ID,
  INSTANCE_ID,
  recordingSleep,
  sendJson,
  startServer,
  type TestServer,
  testClientOptions,
  wireBackup,
  wireInstance,
} from "./helpers";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Serves the given statuses in order (the last one repeats); `404` answers not_found. */
async function scriptedInstance(statuses: Array<string | 404>): Promise<TestServer> {
  let index = 0;
  return startServer((_req, res) => {
    const status = statuses[Math.min(index++, statuses.length - 1)];
    if (status === 404) {
      sendJson(res, 404, {
        message: "resource is not found",
        type: "not_found",
        resource: "instance",
        resource_id: INSTANCE_ID,
      });
    } else sendJson(res, 200, wireInstance(status));
  });
}

describe("poll policy", () => {
  it("polls within 1 s at first, then at 5 % of the time waited, capped at 10 s", () => {
    expect(DEFAULT_POLL_POLICY.nextDelayMs(0, 1)).toBe(1000);
    expect(DEFAULT_POLL_POLICY.nextDelayMs(19_000, 10)).toBe(1000);
    expect(DEFAULT_POLL_POLICY.nextDelayMs(100_000, 30)).toBe(5000);
    expect(DEFAULT_POLL_POLICY.nextDelayMs(600_000, 60)).toBe(10_000);
    expect(adaptivePollPolicy({ minMs: 10, maxMs: 50 }).nextDelayMs(5000, 1)).toBe(50);
  });

  it("notices any transition within max(1 s, 5 % of the time already waited)", () => {
    for (const transitionMs of [500, 3_000, 45_000, 212_000, 751_000]) {
      let t = 0;
      while (t < transitionMs) t += DEFAULT_POLL_POLICY.nextDelayMs(t, 0);
      expect(t - transitionMs).toBeLessThanOrEqual(Math.max(1000, 0.05 * transitionMs));
    }
  });
});

describe("RdbApi waiters", () => {
  it("polls until the instance is ready, reporting status changes with elapsed time", async () => {
    server = await scriptedInstance(["provisioning", "provisioning", "initializing", "ready"]);
    const clock = { now: 0 };
    const { delays, sleep } = recordingSleep(clock);
    const progress: WaitProgress[] = [];
    const instance = await new RdbApi(testClientOptions(server.url)).waitForInstance(
      { instanceId: INSTANCE_ID },
      { sleep, now: () => clock.now, onProgress: (p) => progress.push(p) },
    );
    expect(instance.status).toBe("ready");
    expect(server.requests).toHaveLength(4);
    expect(delays).toEqual([1000, 1000, 1000]);
    expect(progress.filter((p) => p.changed).map((p) => [p.status, p.elapsedMs])).toEqual([
      ["provisioning", 0],
      ["initializing", 2000],
      ["ready", 3000],
    ]);
  });

  it("fails with a typed error naming the failure status", async () => {
    server = await scriptedInstance(["provisioning", "error"]);
    const { sleep } = recordingSleep();
    const error = await new RdbApi(testClientOptions(server.url))
      .waitForInstance({ instanceId: INSTANCE_ID }, { sleep })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitFailedError);
    expect((error as WaitFailedError).status).toBe("error");
    expect((error as Error).message).toContain('failure status "error"');
  });

  it("stops at the deadline with the last status", async () => {
    server = await scriptedInstance(["provisioning"]);
    const clock = { now: 0 };
    const { sleep } = recordingSleep(clock);
    const error = await new RdbApi(testClientOptions(server.url))
      .waitForInstance({ instanceId: INSTANCE_ID }, { sleep, now: () => clock.now, deadlineMs: 60_000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as WaitTimeoutError).lastStatus).toBe("provisioning");
    expect(clock.now).toBe(60_000);
  });

  it("stops when aborted", async () => {
    server = await scriptedInstance(["provisioning"]);
    const controller = new AbortController();
    let polls = 0;
    const error = await new RdbApi(testClientOptions(server.url))
      .waitForInstance(
        { instanceId: INSTANCE_ID },
        {
          pollPolicy: fixedPollPolicy(5),
          onProgress: () => {
            if (++polls === 2) controller.abort();
          },
          signal: controller.signal,
        },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitAbortedError);
    expect(server.requests).toHaveLength(2);
  });

  it("treats 404 as done when waiting for a deletion", async () => {
    server = await scriptedInstance(["deleting", "deleting", 404]);
    const { sleep } = recordingSleep();
    await expect(
      new RdbApi(testClientOptions(server.url)).waitForInstanceDeletion(
        { instanceId: INSTANCE_ID },
        { sleep },
      ),
    ).resolves.toBeUndefined();
    expect(server.requests).toHaveLength(3);
  });

  it("propagates 404 when waiting for a resource to settle", async () => {
    server = await scriptedInstance([404]);
    await expect(
      new RdbApi(testClientOptions(server.url)).waitForInstance({ instanceId: INSTANCE_ID }),
    ).rejects.toMatchObject({
      status: 404,
    });
  });

  it("waits for a backup export until it is ready with a download URL", async () => {
    let calls = 0;
    server = await startServer((_req, res) => {
      calls++;
      sendJson(
        res,
        200,
        calls < 3 ? wireBackup("exporting") : wireBackup("ready", "https://s3.test/b?X-Amz-Signature=x"),
      );
    });
    const { sleep } = recordingSleep();
    const backup = await new RdbApi(testClientOptions(server.url)).waitForDatabaseBackup(
      { databaseBackupId: BACKUP_ID },
      { sleep },
    );
    expect(backup.downloadUrl).toContain("s3.test");
    expect(server.requests).toHaveLength(3);
  });
});

describe("ServerlessSqlApi.waitForServerlessBackup", () => {
  const wire = (downloadUrl: string) => ({
    id: BACKUP_ID,
    status: "ready",
    organization_id: "o",
    project_id: "p",
    database_id: "d",
    created_at: "2025-01-24T14:46:29Z",
    expires_at: "2025-01-31T14:46:29Z",
    size: 100,
    db_size: 200,
    download_url: downloadUrl,
    download_url_expires_at: null,
    region: "fr-par",
  });

  it("waits until the download URL is set after an export", async () => {
    let calls = 0;
    server = await startServer((_req, res) => {
      calls++;
      sendJson(res, 200, wire(calls < 3 ? "" : "https://s3.test/dump?sig=abc"));
    });
    const { sleep } = recordingSleep();
    const backup = await new ServerlessSqlApi(testClientOptions(server.url)).waitForServerlessBackup(
      { backupId: BACKUP_ID },
      { sleep },
    );
    expect(backup.downloadUrl).toBe("https://s3.test/dump?sig=abc");
    expect(server.requests).toHaveLength(3);
  });
});
