// DatabaseInstance through the whole Pulumi lifecycle: the local engine runs a real program, the real dynamic-provider
// host loads the serialized shim, and the provider talks to the emulator over HTTP.
import { apiError } from "../faults";
import { opsOf, useEmulatorAndProgram, uuidOf } from "./harness";

jest.setTimeout(120_000);

const suite = useEmulatorAndProgram();

const instance = (args: Record<string, unknown>) => ({
  type: "scaleway.DatabaseInstance",
  name: "db",
  args: { engine: "PostgreSQL-16", nodeType: "DB-DEV-S", ...args },
});

test("create, no-op preview, in-place updates keep the id, replacement gets a new one, destroy leaves nothing", async () => {
  suite.program.declare([instance({ tags: ["a"], settings: { max_connections: "200" } })], {
    connection: { ref: "db", output: "connectionString" },
    endpoint: { ref: "db", output: "endpoint" },
  });
  const created = await suite.program.ok("up");
  expect(opsOf(created)).toEqual({ db: "create" });
  const id = suite.program.resource("db").id!;
  expect(id).toMatch(/^fr-par\/[0-9a-f-]{36}$/);

  const live = await suite.emulator.api().getInstance({ region: "fr-par", instanceId: uuidOf(id) });
  expect(live.nodeType).toBe("db-dev-s");
  expect(live.settings).toContainEqual({ name: "max_connections", value: "200" });
  expect(live.tags).toContain("a");
  expect(live.tags.some((tag) => tag.startsWith("pulumi-dbaas:"))).toBe(true);
  expect(String(suite.program.resource("db").outputs.certificate)).toContain("-----BEGIN CERTIFICATE-----");
  expect(created.secretOutputs).toContain("connection");
  expect(String(created.outputs.connection)).toMatch(
    /^postgresql:\/\/admin:.+@127\.0\.0\.1:\d+\/rdb\?sslmode=require$/,
  );

  expect((await suite.program.ok("preview", { expectNoChanges: true })).changes).toBe(false);

  suite.program.declare([
    instance({ tags: ["a", "b"], nodeType: "db-dev-m", settings: { max_connections: "300" } }),
  ]);
  const updated = await suite.program.ok("up");
  expect(opsOf(updated)).toEqual({ db: "update" });
  expect(suite.program.resource("db").id).toBe(id);
  const upgraded = await suite.emulator.api().getInstance({ region: "fr-par", instanceId: uuidOf(id) });
  expect(upgraded.nodeType).toBe("db-dev-m");
  expect(upgraded.settings).toContainEqual({ name: "max_connections", value: "300" });
  expect(suite.program.printed()).toContain("upgrading nodeType");

  suite.program.declare([instance({ engine: "PostgreSQL-15", tags: ["a", "b"], nodeType: "db-dev-m" })]);
  const replaced = await suite.program.ok("up");
  expect(opsOf(replaced)).toEqual({ db: "replace" });
  const newId = suite.program.resource("db").id!;
  expect(newId).not.toBe(id);
  await expect(
    suite.emulator.api().getInstance({ region: "fr-par", instanceId: uuidOf(id) }),
  ).rejects.toThrow(/not found/);

  await suite.program.ok("destroy");
  expect(await suite.emulator.api().listAllInstances({ region: "fr-par", tags: ["a"] })).toEqual([]);
});

test("refresh shows an out-of-band change as drift, up puts it back, and a deleted instance leaves state", async () => {
  suite.program.declare([instance({ tags: ["drift"], settings: { work_mem: "8" } })]);
  await suite.program.ok("up");
  const id = uuidOf(suite.program.resource("db").id!);
  const api = suite.emulator.api();
  await api.updateInstance({ region: "fr-par", instanceId: id, tags: ["drift", "by-hand"], name: "renamed" });
  await api.addInstanceSettings({
    region: "fr-par",
    instanceId: id,
    settings: [{ name: "work_mem", value: "16" }],
  });
  await api.waitForInstance({ region: "fr-par", instanceId: id });

  const refreshed = await suite.program.run("refresh", { expectNoChanges: true });
  expect(refreshed.ok).toBe(false);
  expect(refreshed.steps.find((step) => step.name === "db")?.keys).toEqual(["name", "settings", "tags"]);
  expect(suite.program.resource("db").inputs).toMatchObject({
    name: "renamed",
    settings: { work_mem: "16" },
  });

  const fixed = await suite.program.ok("up");
  expect(opsOf(fixed)).toEqual({ db: "update" });
  expect(fixed.steps.find((step) => step.name === "db")?.keys).toEqual(["name", "settings", "tags"]);
  const live = await api.getInstance({ region: "fr-par", instanceId: id });
  expect(live.name).not.toBe("renamed");
  expect(live.tags.filter((tag) => !tag.startsWith("pulumi-dbaas:"))).toEqual(["drift"]);
  expect(live.settings).toContainEqual({ name: "work_mem", value: "8" });
  await suite.program.ok("refresh", { expectNoChanges: true });
  await suite.program.ok("preview", { expectNoChanges: true });

  await api.deleteInstance({ region: "fr-par", instanceId: id });
  await api.waitForInstanceDeletion({ region: "fr-par", instanceId: id });
  await suite.program.ok("refresh");
  expect(suite.program.state().resources.filter((resource) => resource.custom)).toEqual([]);
});

test("the generated password is stable, secret, and never printed", async () => {
  suite.program.declare([instance({})], { password: { ref: "db", output: "password" } });
  const first = await suite.program.ok("up");
  const password = String(first.outputs.password);
  expect(password).toMatch(/^.{24}$/);
  expect(first.secretOutputs).toContain("password");
  await suite.program.ok("up");
  expect((await suite.program.ok("up")).outputs.password).toBe(password);
  expect(suite.program.printed()).not.toContain(password);
  expect(JSON.stringify(suite.program.resource("db").outputs.password)).toContain(
    "1b47061264138c4ac30d75fd1eb44270",
  );
  await suite.program.ok("destroy");
});

test("a password change updates the user in place", async () => {
  suite.program.declare([instance({ password: { secret: "Initial-pass1!" } })]);
  await suite.program.ok("up");
  suite.program.declare([instance({ password: { secret: "Changed-pass2!" } })]);
  const changed = await suite.program.ok("up");
  expect(opsOf(changed)).toEqual({ db: "update" });
  expect(
    suite.emulator.mutatingRequests().some((r) => r.method === "PATCH" && r.path.includes("/users/admin")),
  ).toBe(true);
  await suite.program.ok("destroy");
});

test("adoptId takes over an existing instance and reconciles it to the declared inputs", async () => {
  const api = suite.emulator.api();
  const existing = await api.createInstance({
    region: "fr-par",
    name: "made-elsewhere",
    engine: "PostgreSQL-16",
    nodeType: "db-dev-s",
    userName: "admin",
    password: "Elsewhere-pass1!",
    tags: ["old"],
  });
  await api.waitForInstance({ region: "fr-par", instanceId: existing.id });
  const before = suite.emulator
    .mutatingRequests()
    .filter((r) => r.method === "POST" && r.path.endsWith("/instances")).length;

  suite.program.declare([instance({ name: "adopted", tags: ["new"], adoptId: `fr-par/${existing.id}` })]);
  await suite.program.ok("up");
  expect(suite.program.resource("db").id).toBe(`fr-par/${existing.id}`);
  const after = suite.emulator
    .mutatingRequests()
    .filter((r) => r.method === "POST" && r.path.endsWith("/instances")).length;
  expect(after).toBe(before);
  const live = await api.getInstance({ region: "fr-par", instanceId: existing.id });
  expect(live.name).toBe("adopted");
  expect(live.tags).toContain("new");
  await suite.program.ok("preview", { expectNoChanges: true });
  await suite.program.ok("destroy");
});

test("a create whose answer is lost and whose lookup fails says the instance may exist; the next run adopts it", async () => {
  suite.program.declare([instance({ name: "unsettled", tags: ["resume"] })]);
  await suite.emulator.fault({ method: "POST", path: "/rdb/v1/regions/*/instances", drop_response: true });
  // The lookup before the create passes; the one after the lost answer is refused.
  await suite.emulator.fault({
    method: "GET",
    path: "/rdb/v1/regions/*/instances",
    skip: 1,
    count: 1,
    ...apiError(400, "invalid_arguments", "emulated refusal"),
  });
  const failed = await suite.program.run("up");
  expect(failed.ok).toBe(false);
  expect(failed.errors.join("\n")).toMatch(
    /no clear answer \((ECONNRESET|socket hang up)\).*may exist.*next run/is,
  );
  const leftBehind = await suite.emulator.api().listAllInstances({ region: "fr-par", name: "unsettled" });
  expect(leftBehind).toHaveLength(1);

  const rerun = await suite.program.ok("up");
  expect(opsOf(rerun)).toEqual({ db: "create" });
  expect(await suite.emulator.api().listAllInstances({ region: "fr-par", name: "unsettled" })).toHaveLength(
    1,
  );
  expect(suite.program.resource("db").id).toBe(`fr-par/${leftBehind[0].id}`);
  expect(suite.program.printed()).toContain("left by an interrupted run");
  await suite.program.ok("destroy");
});

test("a create whose answer is lost is found by its ownership tag in the same run and adopted, not duplicated", async () => {
  suite.program.declare([instance({ name: "interrupted", tags: ["resume"] })]);
  // The create reaches the API but the answer never comes back.
  await suite.emulator.fault({ method: "POST", path: "/rdb/v1/regions/*/instances", drop_response: true });
  await suite.program.ok("up");
  const made = await suite.emulator.api().listAllInstances({ region: "fr-par", name: "interrupted" });
  expect(made).toHaveLength(1);
  expect(suite.program.resource("db").id).toBe(`fr-par/${made[0].id}`);
  expect(suite.program.printed()).toMatch(/the create did make instance .*; adopting it/);
  await suite.program.ok("destroy");
});
