// The emulated Scaleway RDB API over HTTP: listing, validation as the real API answers it, busy instances, and the
// data paths (backup, export, restore, clone, major upgrade) through the simulated data plane.
import {
  createBackup,
  harnessForEachTest,
  instanceBody,
  type Json,
  OTHER_PROJECT,
  PROJECT,
  REGION_PATH,
  readyInstance,
} from "./harness";

const harness = harnessForEachTest();

const problemsOf = (body: Json) =>
  (body.details as Array<{ argument_name: string; reason: string }>).map(
    (detail) => `${detail.argument_name}:${detail.reason}`,
  );

const rowsPath = (instanceId: unknown, database: string) =>
  `/_emulator/scaleway-rdb/instances/${instanceId}/databases/${database}/tables/items/rows`;

describe("lists", () => {
  test("pages, filters by name substring, tags and project, and orders", async () => {
    for (const [name, tags, project] of [
      ["alpha-db", ["web"], PROJECT],
      ["beta-db", ["web", "prod"], PROJECT],
      ["gamma", ["prod"], OTHER_PROJECT],
    ] as const) {
      await harness.call(
        "POST",
        `${REGION_PATH}/instances`,
        instanceBody({ name, tags, project_id: project }),
      );
      harness.clock.now += 1_000;
    }
    const page = await harness.call("GET", `${REGION_PATH}/instances?page=2&page_size=2`);
    expect(page.body.total_count).toBe(3);
    expect((page.body.instances as Json[]).map((instance) => instance.name)).toEqual(["gamma"]);
    const names = async (query: string) =>
      ((await harness.call("GET", `${REGION_PATH}/instances?${query}`)).body.instances as Json[]).map(
        (instance) => instance.name,
      );
    expect(await names("name=-db")).toEqual(["alpha-db", "beta-db"]);
    expect(await names("tags=web&tags=prod")).toEqual(["beta-db"]);
    expect(await names(`project_id=${OTHER_PROJECT}`)).toEqual(["gamma"]);
    expect(await names("order_by=name_desc")).toEqual(["gamma", "beta-db", "alpha-db"]);
    expect(await names("order_by=created_at_desc")).toEqual(["gamma", "beta-db", "alpha-db"]);
    expect((await harness.call("GET", `${REGION_PATH}/instances?order_by=size`)).status).toBe(400);
    expect((await harness.call("GET", `${REGION_PATH}/instances?page_size=101`)).status).toBe(400);
    expect((await harness.call("GET", "/rdb/v1/regions/nl-ams/instances")).body.total_count).toBe(0);
  });

  test("backups filter by instance and name", async () => {
    const first = await readyInstance(harness, { name: "one" });
    const second = await readyInstance(harness, { name: "two" });
    for (const [instance, name] of [
      [first, "nightly-1"],
      [first, "manual"],
      [second, "nightly-2"],
    ] as const) {
      const created = await createBackup(harness, instance.id, { name });
      expect(created.status).toBe(200);
      harness.clock.now += 1_000;
    }
    const names = async (query: string) =>
      ((await harness.call("GET", `${REGION_PATH}/backups?${query}`)).body.database_backups as Json[]).map(
        (backup) => backup.name,
      );
    expect(await names(`instance_id=${first.id}`)).toEqual(["nightly-1", "manual"]);
    expect(await names("name=nightly&order_by=name_desc")).toEqual(["nightly-2", "nightly-1"]);
  });
});

describe("validation", () => {
  test("create names every bad argument: password policy, disabled engine, unknown node type", async () => {
    const answer = await harness.call(
      "POST",
      `${REGION_PATH}/instances`,
      instanceBody({ password: "short", engine: "PostgreSQL-12", node_type: "db-huge" }),
    );
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ type: "invalid_arguments", message: "invalid argument(s)" });
    expect(problemsOf(answer.body)).toEqual(
      expect.arrayContaining(["engine:constraint", "node_type:constraint", "password:constraint"]),
    );
    const helps = (answer.body.details as Json[]).map((detail) => detail.help_message).join(" | ");
    expect(helps).toContain("between 8 and 128");
    expect(helps).toContain("one digit");
    expect(helps).toContain("one special character");
    expect(helps).not.toContain("short");
  });

  test("node types are accepted in any case and returned lowercase; lssd refuses a size", async () => {
    const created = await harness.call(
      "POST",
      `${REGION_PATH}/instances`,
      instanceBody({ node_type: "DB-DEV-M" }),
    );
    expect(created.body).toMatchObject({
      node_type: "db-dev-m",
      volume: { type: "lssd", size: 25_000_000_000 },
    });
    const sized = await harness.call(
      "POST",
      `${REGION_PATH}/instances`,
      instanceBody({ volume_size: 10_000_000_000 }),
    );
    expect(problemsOf(sized.body)).toEqual(["volume_size:constraint"]);
    const odd = await harness.call(
      "POST",
      `${REGION_PATH}/instances`,
      instanceBody({ volume_type: "sbs_5k", volume_size: 7_000_000_000 }),
    );
    expect(problemsOf(odd.body)).toEqual(["volume_size:constraint"]);
  });

  test("unknown settings and out-of-range values are refused", async () => {
    const instance = await readyInstance(harness);
    const answer = await harness.call("PUT", `${REGION_PATH}/instances/${instance.id}/settings`, {
      settings: [
        { name: "max_connections", value: "5" },
        { name: "no_such_setting", value: "1" },
      ],
    });
    expect(answer.status).toBe(400);
    expect(problemsOf(answer.body)).toEqual(["settings.0.value:constraint", "settings.1.name:constraint"]);
  });

  test("upgrades: one change at a time, volumes only grow, HA and encryption only turn on", async () => {
    const instance = await readyInstance(harness, { volume_type: "sbs_5k", volume_size: 10_000_000_000 });
    const upgrade = (body: Json) =>
      harness.call("POST", `${REGION_PATH}/instances/${instance.id}/upgrade`, body);
    expect((await upgrade({ node_type: "db-dev-m", enable_ha: true })).status).toBe(400);
    expect((await upgrade({ volume_size: 5_000_000_000 })).status).toBe(400);
    expect((await upgrade({ enable_ha: false })).status).toBe(400);
    expect((await upgrade({ enable_encryption: false })).status).toBe(400);
    const grown = await upgrade({ volume_size: 15_000_000_000 });
    expect(grown.body).toMatchObject({ status: "initializing", volume: { size: 15_000_000_000 } });
    const busy = await upgrade({ enable_ha: true });
    expect(busy.status).toBe(409);
    expect(busy.body).toMatchObject({
      type: "transient_state",
      resource: "instance",
      current_state: "initializing",
    });
    harness.clock.now += 5_000;
    expect((await upgrade({ enable_ha: true })).body).toMatchObject({ is_ha_cluster: true });
  });

  test("the backup schedule can only be changed once the instance is ready", async () => {
    const created = await harness.call("POST", `${REGION_PATH}/instances`, instanceBody());
    const early = await harness.call("PATCH", `${REGION_PATH}/instances/${created.body.id}`, {
      backup_schedule_frequency: 12,
    });
    expect(early.status).toBe(409);
    expect(early.body.current_state).toBe("provisioning");
    const renamed = await harness.call("PATCH", `${REGION_PATH}/instances/${created.body.id}`, {
      name: "renamed",
    });
    expect(renamed.body.name).toBe("renamed");
    harness.clock.now += 5_000;
    const patched = await harness.call("PATCH", `${REGION_PATH}/instances/${created.body.id}`, {
      backup_schedule_frequency: 12,
      backup_schedule_retention: 3,
      is_backup_schedule_disabled: false,
      backup_schedule_start_hour: 4,
    });
    expect(patched.body.backup_schedule).toEqual({
      disabled: false,
      frequency: 12,
      retention: 3,
      next_run_at: "2026-01-06T04:00:00.000000Z",
    });
    expect(JSON.stringify(patched.body)).not.toContain("start_hour");
  });

  test("backups need an existing instance and database", async () => {
    const instance = await readyInstance(harness);
    const missingDatabase = await createBackup(harness, instance.id, { database_name: "nope", name: "b" });
    expect(missingDatabase.status).toBe(404);
    expect(missingDatabase.body).toMatchObject({ resource: "database", resource_id: "nope" });
    const missingInstance = await createBackup(harness, "00000000-0000-4000-8000-000000000000", {
      name: "b",
    });
    expect(missingInstance.status).toBe(404);
    expect(missingInstance.body.resource).toBe("instance");
    const noName = await harness.call("POST", `${REGION_PATH}/backups`, { instance_id: instance.id });
    expect(problemsOf(noName.body)).toEqual(["database_name:required", "name:required"]);
  });
});

describe("lifecycles and data", () => {
  test("provisioning hides endpoints and settings; delete answers deleting then 404", async () => {
    const created = await harness.call("POST", `${REGION_PATH}/instances`, instanceBody());
    expect(created.body).toMatchObject({
      status: "provisioning",
      endpoint: null,
      endpoints: [],
      settings: [],
    });
    harness.clock.now += 5_000;
    const ready = await harness.call("GET", `${REGION_PATH}/instances/${created.body.id}`);
    expect(ready.body.status).toBe("ready");
    expect(ready.body.endpoints).toHaveLength(1);
    expect((ready.body.settings as Json[]).length).toBeGreaterThan(0);
    const deleting = await harness.call("DELETE", `${REGION_PATH}/instances/${created.body.id}`);
    expect(deleting.body.status).toBe("deleting");
    harness.clock.now += 5_000;
    expect((await harness.call("GET", `${REGION_PATH}/instances/${created.body.id}`)).status).toBe(404);
  });

  test("a restore copies the backed-up rows into the target, which is busy meanwhile", async () => {
    const source = await readyInstance(harness, { name: "source" });
    const target = await readyInstance(harness, { name: "target" });
    await harness.call("POST", `${REGION_PATH}/instances/${source.id}/databases`, { name: "app" });
    await harness.call("POST", rowsPath(source.id, "app"), { rows: [{ id: 1 }, { id: 2 }] });
    const backup = await createBackup(harness, source.id, { database_name: "app", name: "before" });
    expect(backup.body).toMatchObject({ status: "creating", size: null });
    expect((await harness.call("POST", `${REGION_PATH}/backups/${backup.body.id}/restore`, {})).status).toBe(
      400,
    );
    harness.clock.now += 1_000;
    const restoring = await harness.call("POST", `${REGION_PATH}/backups/${backup.body.id}/restore`, {
      instance_id: target.id,
    });
    expect(restoring.body.status).toBe("restoring");
    expect((await harness.call("GET", `${REGION_PATH}/instances/${target.id}`)).body.status).toBe(
      "backuping",
    );
    harness.clock.now += 1_000;
    expect((await harness.call("GET", `${REGION_PATH}/instances/${target.id}`)).body.status).toBe("ready");
    expect((await harness.call("GET", rowsPath(target.id, "app"))).body.rows).toEqual([{ id: 1 }, { id: 2 }]);
  });

  test("clone and major upgrade make new instances carrying the data", async () => {
    const source = await readyInstance(harness, { name: "source", engine: "PostgreSQL-15" });
    await harness.call("POST", rowsPath(source.id, "rdb"), { rows: [{ id: 7 }] });
    const clone = await harness.call("POST", `${REGION_PATH}/instances/${source.id}/clone`, {
      name: "copy",
      node_type: "DB-DEV-M",
    });
    expect(clone.body).toMatchObject({ name: "copy", node_type: "db-dev-m", status: "provisioning" });
    const versions = (await harness.call("GET", `${REGION_PATH}/instances/${source.id}`)).body
      .upgradable_version as Json[];
    expect(versions.map((version) => version.name)).toEqual(["PostgreSQL-16", "PostgreSQL-17"]);
    const upgraded = await harness.call("POST", `${REGION_PATH}/instances/${source.id}/upgrade`, {
      upgradable_version_id: versions[1].id,
    });
    expect(upgraded.body).toMatchObject({ engine: "PostgreSQL-17", status: "provisioning" });
    expect(upgraded.body.id).not.toBe(source.id);
    harness.clock.now += 5_000;
    expect((await harness.call("GET", rowsPath(clone.body.id, "rdb"))).body.rows).toEqual([{ id: 7 }]);
    expect((await harness.call("GET", rowsPath(upgraded.body.id, "rdb"))).body.rows).toEqual([{ id: 7 }]);
  });

  test("settings PUT replaces them all and configures; prepared logs become downloadable", async () => {
    const instance = await readyInstance(harness, { engine: "MySQL-8" });
    const put = await harness.call("PUT", `${REGION_PATH}/instances/${instance.id}/settings`, {
      settings: [{ name: "max_connections", value: "350" }],
    });
    expect(put.body).toEqual({ settings: [{ name: "max_connections", value: "350" }] });
    expect((await harness.call("GET", `${REGION_PATH}/instances/${instance.id}`)).body.status).toBe(
      "configuring",
    );
    harness.clock.now += 2_000;
    const logs = await harness.call("POST", `${REGION_PATH}/instances/${instance.id}/prepare-logs`, {});
    const [log] = logs.body.instance_logs as Json[];
    expect(log).toMatchObject({ status: "creating", download_url: null });
    harness.clock.now += 1_000;
    const ready = await harness.call("GET", `${REGION_PATH}/logs/${log.id}`);
    expect(ready.body.status).toBe("ready");
    expect((await fetch(String(ready.body.download_url))).status).toBe(200);
    expect(
      (await harness.call("POST", `${REGION_PATH}/instances/${instance.id}/purge-logs`, {})).status,
    ).toBe(204);
    expect(
      (await harness.call("GET", `${REGION_PATH}/instances/${instance.id}/logs`)).body.instance_logs,
    ).toEqual([]);
  });

  test("the catalogue endpoints answer the recorded engines and the node types", async () => {
    const engines = await harness.call("GET", `${REGION_PATH}/database-engines`);
    expect((engines.body.engines as Json[]).map((engine) => engine.name)).toEqual(["MySQL", "PostgreSQL"]);
    const nodeTypes = await harness.call("GET", `${REGION_PATH}/node-types`);
    expect((nodeTypes.body.node_types as Json[]).map((node) => node.name)).toContain("db-play2-pico");
  });
});
