// The emulated RDB API's 400s for unreadable paths and over-long names, the control that makes an instance or a backup
// end in `error`, and the server-side rate limit control.
import {
  createBackup,
  harnessForEachTest,
  instanceBody,
  type Json,
  REGION_PATH,
  readyInstance,
} from "./harness";

const harness = harnessForEachTest();

const LONGEST_NAME = "n".repeat(255);
const TOO_LONG_NAME = "n".repeat(256);

const detailsOf = (body: Json) => body.details as Array<{ argument_name: string; reason: string }>;

async function readyBackup(instanceId: unknown, name = "dump"): Promise<Json> {
  const created = await createBackup(harness, instanceId, { name });
  if (created.status !== 200) throw new Error(`backup create failed: ${JSON.stringify(created.body)}`);
  harness.clock.now += 5_000;
  return created.body;
}

describe("unreadable paths", () => {
  test.each([
    ["GET", "/instances/not-a-uuid", "instance_id"],
    ["DELETE", "/instances/1234", "instance_id"],
    ["GET", "/backups/not-a-uuid", "database_backup_id"],
    ["GET", "/instances/not-a-uuid/databases", "instance_id"],
    ["GET", "/logs/zzz", "instance_log_id"],
  ])("%s %s: a malformed id is 400 invalid_arguments naming %s", async (method, path, argument) => {
    const answer = await harness.call(method, `${REGION_PATH}${path}`);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ type: "invalid_arguments", message: "invalid argument(s)" });
    expect(detailsOf(answer.body)).toEqual([
      { argument_name: argument, reason: "constraint", help_message: "must be a valid UUID" },
    ]);
  });

  test.each([
    ["/rdb/v1/regions/fr-par/instances/%E0%A4%A", "instance_id"],
    ["/rdb/v1/regions/fr-par/backups/%ZZ", "database_backup_id"],
    ["/rdb/v1/regions/%C0/instances", "region"],
    ["/serverless-sqldb/v1alpha1/regions/fr-par/databases/%E0%A4%A", "database_id"],
  ])("%s: malformed percent-encoding is 400 naming %s, not 500", async (path, argument) => {
    const answer = await harness.call("GET", path);
    expect(answer.status).toBe(400);
    expect(answer.body.type).toBe("invalid_arguments");
    expect(detailsOf(answer.body)).toEqual([
      { argument_name: argument, reason: "constraint", help_message: "must be valid percent-encoded UTF-8" },
    ]);
  });

  test("a well-formed unknown id is still 404 not_found", async () => {
    const answer = await harness.call("GET", `${REGION_PATH}/instances/00000000-0000-4000-8000-000000000000`);
    expect(answer.status).toBe(404);
    expect(answer.body.type).toBe("not_found");
  });
});

describe("name limits (255 characters) on every create and update that takes a name", () => {
  test("instance create, PATCH and clone", async () => {
    expect(
      (await harness.call("POST", `${REGION_PATH}/instances`, instanceBody({ name: TOO_LONG_NAME }))).status,
    ).toBe(400);
    const instance = await readyInstance(harness);
    const patch = (name: string) =>
      harness.call("PATCH", `${REGION_PATH}/instances/${instance.id}`, { name });
    const refused = await patch(TOO_LONG_NAME);
    expect(refused.status).toBe(400);
    expect(detailsOf(refused.body)).toEqual([
      { argument_name: "name", reason: "constraint", help_message: "must be at most 255 characters" },
    ]);
    expect((await patch(LONGEST_NAME)).body.name).toBe(LONGEST_NAME);
    const clone = await harness.call("POST", `${REGION_PATH}/instances/${instance.id}/clone`, {
      name: TOO_LONG_NAME,
    });
    expect(clone.status).toBe(400);
    expect(detailsOf(clone.body)[0]?.argument_name).toBe("name");
  });

  test("backup create and PATCH", async () => {
    const instance = await readyInstance(harness);
    const create = (name: string) => createBackup(harness, instance.id, { name });
    const refused = await create(TOO_LONG_NAME);
    expect(refused.status).toBe(400);
    expect(detailsOf(refused.body).map((d) => `${d.argument_name}:${d.reason}`)).toEqual(["name:constraint"]);
    const backup = await readyBackup(instance.id, LONGEST_NAME);
    expect(backup.name).toBe(LONGEST_NAME);
    const patch = (body: Json) => harness.call("PATCH", `${REGION_PATH}/backups/${backup.id}`, body);
    expect((await patch({ name: TOO_LONG_NAME })).status).toBe(400);
    expect((await patch({ name: "" })).status).toBe(400);
    expect((await patch({ name: "short" })).body.name).toBe("short");
  });

  test("database and user names keep their 63-character rule", async () => {
    const instance = await readyInstance(harness);
    const long = "d".repeat(64);
    expect(
      (await harness.call("POST", `${REGION_PATH}/instances/${instance.id}/databases`, { name: long }))
        .status,
    ).toBe(400);
    expect(
      (
        await harness.call("POST", `${REGION_PATH}/instances/${instance.id}/users`, {
          name: long,
          password: "thiZ_is_v&ry_s3cret",
        })
      ).status,
    ).toBe(400);
  });
});

describe("POST /_emulator/scaleway-rdb/{instances,backups}/{id}/fail", () => {
  test("a provisioning instance ends in error when provisioning ends, and can still be deleted", async () => {
    const created = await harness.call("POST", `${REGION_PATH}/instances`, instanceBody());
    const failed = await harness.call("POST", `/_emulator/scaleway-rdb/instances/${created.body.id}/fail`);
    expect(failed.status).toBe(200);
    const status = async () =>
      (await harness.call("GET", `${REGION_PATH}/instances/${created.body.id}`)).body.status;
    expect(await status()).toBe("provisioning");
    harness.clock.now += 5_000;
    expect(await status()).toBe("error");
    harness.clock.now += 60_000;
    expect(await status()).toBe("error");
    const restart = await harness.call("POST", `${REGION_PATH}/instances/${created.body.id}/restart`);
    expect(restart.status).toBe(409);
    expect(restart.body.current_state).toBe("error");
    expect((await harness.call("DELETE", `${REGION_PATH}/instances/${created.body.id}`)).body.status).toBe(
      "deleting",
    );
  });

  test("a backup being created ends in error; a ready one fails at once; both can be deleted", async () => {
    const instance = await readyInstance(harness);
    const creating = await createBackup(harness, instance.id, { name: "creating" });
    await harness.call("POST", `/_emulator/scaleway-rdb/backups/${creating.body.id}/fail`);
    const status = async (id: unknown) =>
      (await harness.call("GET", `${REGION_PATH}/backups/${id}`)).body.status;
    expect(await status(creating.body.id)).toBe("creating");
    harness.clock.now += 5_000;
    expect(await status(creating.body.id)).toBe("error");

    const ready = await readyBackup(instance.id, "ready");
    expect(await status(ready.id)).toBe("ready");
    const failed = await harness.call("POST", `/_emulator/scaleway-rdb/backups/${ready.id}/fail`);
    expect(failed.body.fails_at).toBeDefined();
    expect(await status(ready.id)).toBe("error");
    expect((await harness.call("POST", `${REGION_PATH}/backups/${ready.id}/export`)).status).toBe(409);

    for (const id of [creating.body.id, ready.id]) {
      expect((await harness.call("DELETE", `${REGION_PATH}/backups/${id}`)).status).toBe(200);
      expect((await harness.call("GET", `${REGION_PATH}/backups/${id}`)).status).toBe(404);
    }
  });

  test("an unknown id is 404", async () => {
    const id = "00000000-0000-4000-8000-000000000000";
    expect((await harness.call("POST", `/_emulator/scaleway-rdb/instances/${id}/fail`)).status).toBe(404);
    expect((await harness.call("POST", `/_emulator/scaleway-rdb/backups/${id}/fail`)).status).toBe(404);
  });
});

describe("POST /_emulator/rate-limit", () => {
  test("answers 429 too_many_requests past the limit, only on matching paths, until removed", async () => {
    const refused = await harness.call("POST", "/_emulator/rate-limit", { requests_per_second: 0 });
    expect(refused.status).toBe(400);
    const set = await harness.call("POST", "/_emulator/rate-limit", {
      requests_per_second: 1,
      burst: 2,
      path: "/rdb/**",
      retry_after_seconds: 3,
    });
    expect(set.status).toBe(201);
    const list = () => harness.call("GET", `${REGION_PATH}/instances`);
    expect((await list()).status).toBe(200);
    expect((await list()).status).toBe(200);
    const limited = await fetch(`${harness.emulator.url}${REGION_PATH}/instances`, {
      headers: { "x-auth-token": "t" },
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("3");
    expect(await limited.json()).toMatchObject({ type: "too_many_requests" });
    expect((await harness.call("GET", "/serverless-sqldb/v1alpha1/regions/fr-par/databases")).status).toBe(
      200,
    );
    harness.clock.now += 1_000;
    expect((await list()).status).toBe(200);
    expect(harness.emulator.requests().map((r) => r.status)).toEqual([200, 200, 429, 200, 200]);
    expect((await harness.call("DELETE", "/_emulator/rate-limit")).status).toBe(204);
    for (let i = 0; i < 5; i++) expect((await list()).status).toBe(200);
  });
});
