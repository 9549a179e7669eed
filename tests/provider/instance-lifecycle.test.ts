// DatabaseInstance through the whole Pulumi lifecycle: the local engine runs a real program, the real dynamic-provider
// host loads the serialized shim, and the provider talks to the emulator over HTTP.
import { opsOf, TestEmulator, TestProgram, uuidOf } from "./harness";

jest.setTimeout(120_000);

let emulator: TestEmulator;
let program: TestProgram;

beforeAll(async () => {
  emulator = await TestEmulator.start();
});
afterAll(() => emulator.stop());
beforeEach(() => {
  program = TestProgram.create(emulator);
});
afterEach(() => program.cleanup());

const instance = (args: Record<string, unknown>) => ({
  type: "scaleway.DatabaseInstance",
  name: "db",
  args: { engine: "PostgreSQL-16", nodeType: "DB-DEV-S", ...args },
});

test("create, no-op preview, in-place updates keep the id, replacement gets a new one, destroy leaves nothing", async () => {
  program.declare([instance({ tags: ["a"], settings: { max_connections: "200" } })], {
    connection: { ref: "db", output: "connectionString" },
    endpoint: { ref: "db", output: "endpoint" },
  });
  const created = await program.ok("up");
  expect(opsOf(created)).toEqual({ db: "create" });
  const id = program.resource("db").id!;
  expect(id).toMatch(/^fr-par\/[0-9a-f-]{36}$/);

  const live = await emulator.api().getInstance({ region: "fr-par", instanceId: uuidOf(id) });
  expect(live.nodeType).toBe("db-dev-s");
  expect(live.settings).toContainEqual({ name: "max_connections", value: "200" });
  expect(live.tags).toContain("a");
  expect(live.tags.some((tag) => tag.startsWith("pulumi-dbaas:"))).toBe(true);
  expect(created.secretOutputs).toContain("connection");
  expect(String(created.outputs.connection)).toMatch(
    /^postgresql:\/\/admin:.+@127\.0\.0\.1:\d+\/rdb\?sslmode=require$/,
  );

  expect((await program.ok("preview", { expectNoChanges: true })).changes).toBe(false);

  program.declare([
    instance({ tags: ["a", "b"], nodeType: "db-dev-m", settings: { max_connections: "300" } }),
  ]);
  const updated = await program.ok("up");
  expect(opsOf(updated)).toEqual({ db: "update" });
  expect(program.resource("db").id).toBe(id);
  const upgraded = await emulator.api().getInstance({ region: "fr-par", instanceId: uuidOf(id) });
  expect(upgraded.nodeType).toBe("db-dev-m");
  expect(upgraded.settings).toContainEqual({ name: "max_connections", value: "300" });
  expect(program.printed()).toContain("upgrading nodeType");

  program.declare([instance({ engine: "PostgreSQL-15", tags: ["a", "b"], nodeType: "db-dev-m" })]);
  const replaced = await program.ok("up");
  expect(opsOf(replaced)).toEqual({ db: "replace" });
  const newId = program.resource("db").id!;
  expect(newId).not.toBe(id);
  await expect(emulator.api().getInstance({ region: "fr-par", instanceId: uuidOf(id) })).rejects.toThrow(
    /not found/,
  );

  await program.ok("destroy");
  expect(await emulator.api().listAllInstances({ region: "fr-par", tags: ["a"] })).toEqual([]);
});

test("refresh shows an out-of-band change as drift, up puts it back, and a deleted instance leaves state", async () => {
  program.declare([instance({ tags: ["drift"], settings: { work_mem: "8" } })]);
  await program.ok("up");
  const id = uuidOf(program.resource("db").id!);
  const api = emulator.api();
  await api.updateInstance({ region: "fr-par", instanceId: id, tags: ["drift", "by-hand"], name: "renamed" });
  await api.addInstanceSettings({
    region: "fr-par",
    instanceId: id,
    settings: [{ name: "work_mem", value: "16" }],
  });
  await api.waitForInstance({ region: "fr-par", instanceId: id });

  const refreshed = await program.run("refresh", { expectNoChanges: true });
  expect(refreshed.ok).toBe(false);
  expect(program.resource("db").inputs).toMatchObject({ name: "renamed", settings: { work_mem: "16" } });

  const fixed = await program.ok("up");
  expect(opsOf(fixed)).toEqual({ db: "update" });
  const live = await api.getInstance({ region: "fr-par", instanceId: id });
  expect(live.name).not.toBe("renamed");
  expect(live.tags.filter((tag) => !tag.startsWith("pulumi-dbaas:"))).toEqual(["drift"]);
  expect(live.settings).toContainEqual({ name: "work_mem", value: "8" });
  await program.ok("refresh", { expectNoChanges: true });
  await program.ok("preview", { expectNoChanges: true });

  await api.deleteInstance({ region: "fr-par", instanceId: id });
  await api.waitForInstanceDeletion({ region: "fr-par", instanceId: id });
  await program.ok("refresh");
  expect(program.state().resources.filter((resource) => resource.custom)).toEqual([]);
});

test("the generated password is stable, secret, and never printed", async () => {
  program.declare([instance({})], { password: { ref: "db", output: "password" } });
  const first = await program.ok("up");
  const password = String(first.outputs.password);
  expect(password).toMatch(/^.{24}$/);
  expect(first.secretOutputs).toContain("password");
  await program.ok("up");
  expect((await program.ok("up")).outputs.password).toBe(password);
  expect(program.printed()).not.toContain(password);
  expect(JSON.stringify(program.resource("db").outputs.password)).toContain(
    "1b47061264138c4ac30d75fd1eb44270",
  );
  await program.ok("destroy");
});

test("a password change updates the user in place", async () => {
  program.declare([instance({ password: { secret: "Initial-pass1!" } })]);
  await program.ok("up");
  program.declare([instance({ password: { secret: "Changed-pass2!" } })]);
  const changed = await program.ok("up");
  expect(opsOf(changed)).toEqual({ db: "update" });
  expect(
    emulator.mutatingRequests().some((r) => r.method === "PATCH" && r.path.includes("/users/admin")),
  ).toBe(true);
  await program.ok("destroy");
});

test("adoptId takes over an existing instance and reconciles it to the declared inputs", async () => {
  const api = emulator.api();
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
  const before = emulator
    .mutatingRequests()
    .filter((r) => r.method === "POST" && r.path.endsWith("/instances")).length;

  program.declare([instance({ name: "adopted", tags: ["new"], adoptId: `fr-par/${existing.id}` })]);
  await program.ok("up");
  expect(program.resource("db").id).toBe(`fr-par/${existing.id}`);
  const after = emulator
    .mutatingRequests()
    .filter((r) => r.method === "POST" && r.path.endsWith("/instances")).length;
  expect(after).toBe(before);
  const live = await api.getInstance({ region: "fr-par", instanceId: existing.id });
  expect(live.name).toBe("adopted");
  expect(live.tags).toContain("new");
  await program.ok("preview", { expectNoChanges: true });
  await program.ok("destroy");
});

test("a create interrupted before Pulumi saw the id is adopted on the next run, not duplicated", async () => {
  program.declare([instance({ name: "interrupted", tags: ["resume"] })]);
  // The create reaches the API but the answer never comes back: the engine fails without an id in state.
  await emulator.fault({
    method: "POST",
    path: "/rdb/v1/regions/*/instances",
    count: 1,
    drop_response: true,
  });
  const failed = await program.run("up");
  expect(failed.ok).toBe(false);
  expect(failed.errors.join("\n")).toMatch(/socket hang up|ECONNRESET|network/i);
  const leftBehind = await emulator.api().listAllInstances({ region: "fr-par", name: "interrupted" });
  expect(leftBehind).toHaveLength(1);

  const rerun = await program.ok("up");
  expect(opsOf(rerun)).toEqual({ db: "create" });
  expect(await emulator.api().listAllInstances({ region: "fr-par", name: "interrupted" })).toHaveLength(1);
  expect(program.resource("db").id).toBe(`fr-par/${leftBehind[0].id}`);
  expect(program.printed()).toContain("left by an interrupted run");
  await program.ok("destroy");
});
