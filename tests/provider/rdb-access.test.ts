// Database, User and Privilege through the local engine against the emulator: the whole lifecycle, drift seen on
// refresh, bad inputs refused with no call, adoption, a half-failed create recorded, and many writes to one busy
// instance in one deployment.
import * as fs from "node:fs";
import * as path from "node:path";
import { getDatabase, getPrivilege, getUser } from "../../provider/scaleway/lookups";
import { apiError } from "../faults";
import {
  INSTANCE,
  opsOf,
  type ResourceSpec,
  TestEmulator,
  TestProgram,
  useEmulatorAndProgram,
  uuidOf,
} from "./harness";

jest.setTimeout(240_000);

const suite = useEmulatorAndProgram();
const READER_PASSWORD = "Reader-Passw0rd-4711!";

/** Pulumi's wire marker of a secret value, as the state file stores it. */
const isSecret = (value: unknown) =>
  typeof value === "object" &&
  value !== null &&
  (value as Record<string, unknown>)["4dabf18193072939515e22adb298388d"] ===
    "1b47061264138c4ac30d75fd1eb44270";

/** The resources of the state file as stored (the test program's own config, kept with them, is left out). */
function storedResources(program: TestProgram): string {
  const file = path.join(program.dir, ".pulumi-dbaas/stacks/dev.json");
  return JSON.stringify((JSON.parse(fs.readFileSync(file, "utf8")) as { resources: unknown }).resources);
}

const ref = (name: string, output = "id") => ({ ref: name, output });
const database = (name: string, dbName: string): ResourceSpec => ({
  type: "scaleway.Database",
  name,
  args: { instanceId: ref("db"), name: dbName },
});
const user = (name: string, args: Record<string, unknown> = {}): ResourceSpec => ({
  type: "scaleway.User",
  name,
  args: { instanceId: ref("db"), name, ...args },
});
const privilege = (name: string, db: string, who: string, permission: string): ResourceSpec => ({
  type: "scaleway.Privilege",
  name,
  args: { instanceId: ref("db"), databaseName: ref(db, "name"), userName: ref(who, "name"), permission },
});

function instance(program: TestProgram) {
  return { region: "fr-par", instanceId: uuidOf(String(program.resource("db").id)) };
}

/** Mutating requests served since `from` (an index into the emulator's request log), as `METHOD path`. */
function writesSince(emulator: TestEmulator, from: number): string[] {
  return emulator
    .mutatingRequests()
    .slice(from)
    .map((request) => `${request.method} ${request.path.replace(/^.*\/instances\/[^/]+/, "")}`);
}

test("lifecycle: create, no-change preview, stable secret password, drift on refresh, updates, replace, delete", async () => {
  const { program, emulator } = suite;
  const api = emulator.api();
  const resources = [
    INSTANCE,
    database("app", "app"),
    user("writer"),
    user("reader", { password: { secret: READER_PASSWORD } }),
    privilege("writer-app", "app", "writer", "readwrite"),
    privilege("reader-app", "app", "reader", "readonly"),
  ];
  const exports = { writerPassword: ref("writer", "password") };
  program.declare(resources, exports);
  const created = await program.ok("up");
  expect(opsOf(created)).toEqual({
    db: "create",
    app: "create",
    writer: "create",
    reader: "create",
    "writer-app": "create",
    "reader-app": "create",
  });
  const where = instance(program);
  expect(program.resource("app").id).toBe(`fr-par/${where.instanceId}/app`);
  expect(program.resource("writer-app").id).toBe(`fr-par/${where.instanceId}/app/writer`);
  expect(program.resource("app").outputs).toMatchObject({ managed: true, owner: expect.any(String) });
  expect((await api.listAllUsers(where)).map((u) => [u.name, u.isAdmin])).toEqual(
    expect.arrayContaining([
      ["reader", false],
      ["writer", false],
    ]),
  );
  const permissions = async () =>
    Object.fromEntries(
      (await api.listAllPrivileges({ ...where, databaseName: "app" })).map((p) => [p.userName, p.permission]),
    );
  expect(await permissions()).toMatchObject({ writer: "readwrite", reader: "readonly" });

  // The generated password: secret output, never an input, never in plaintext in the state file, stable.
  const password = String(created.outputs.writerPassword);
  expect(password).toMatch(/^.{24}$/);
  expect(created.secretOutputs).toContain("writerPassword");
  expect(program.resource("writer").inputs).not.toHaveProperty("password");
  expect(isSecret(program.resource("writer").outputs.password)).toBe(true);
  expect(isSecret(program.resource("reader").inputs.password)).toBe(true);
  expect(storedResources(program)).not.toContain(password);
  expect(storedResources(program)).not.toContain(READER_PASSWORD);
  expect(program.printed()).not.toContain(password);

  await program.ok("preview", { expectNoChanges: true });
  const before = emulator.mutatingRequests().length;
  const again = await program.ok("up");
  expect(again.changes).toBe(false);
  expect(again.outputs.writerPassword).toBe(password);
  await program.ok("refresh", { expectNoChanges: true });
  expect(program.resource("writer").inputs).not.toHaveProperty("password");
  expect(writesSince(emulator, before)).toEqual([]);

  // Out of band: a permission lowered and a user made admin are drift that `up` puts back.
  await api.setPrivilege({ ...where, databaseName: "app", userName: "writer", permission: "readonly" });
  await api.updateUser({ ...where, name: "reader", isAdmin: true });
  const drifted = await program.run("refresh", { expectNoChanges: true });
  expect(drifted.ok).toBe(false);
  const keys = (name: string) => drifted.steps.find((step) => step.name === name)?.keys ?? [];
  expect(keys("writer-app")).toEqual(["permission"]);
  expect(keys("reader")).toEqual(["isAdmin"]);
  expect(opsOf(await program.ok("up"))).toMatchObject({ "writer-app": "update", reader: "update" });
  expect(await permissions()).toMatchObject({ writer: "readwrite" });
  expect((await api.listAllUsers({ ...where, name: "reader" }))[0].isAdmin).toBe(false);
  await program.ok("refresh", { expectNoChanges: true });

  // A user deleted out of band leaves the state with its privilege on refresh, and `up` makes both again.
  await api.deleteUser({ ...where, name: "writer" });
  const gone = await program.run("refresh", { expectNoChanges: true });
  expect(gone.ok).toBe(false);
  expect(opsOf(gone)).toMatchObject({ writer: "delete", "writer-app": "delete" });
  expect(opsOf(await program.ok("up"))).toMatchObject({ writer: "create", "writer-app": "create" });
  expect(await permissions()).toMatchObject({ writer: "readwrite" });
  await program.ok("preview", { expectNoChanges: true });

  // In place: a declared password, the admin flag, a permission. Replaced: a database renamed, and with it the
  // privileges that name it; the old pairs are set to `none` and the old database dropped.
  const updatesFrom = emulator.mutatingRequests().length;
  program.declare(
    [
      INSTANCE,
      database("app", "app2"),
      user("writer", { isAdmin: true }),
      user("reader", { password: { secret: "Other-Passw0rd-4711!" } }),
      privilege("writer-app", "app", "writer", "all"),
      privilege("reader-app", "app", "reader", "readonly"),
    ],
    exports,
  );
  const preview = await program.ok("preview");
  expect(opsOf(preview)).toMatchObject({ app: "replace", writer: "update", reader: "update" });
  const updated = await program.ok("up");
  expect(opsOf(updated)).toEqual({
    db: "same",
    app: "replace",
    writer: "update",
    reader: "update",
    "writer-app": "replace",
    "reader-app": "replace",
  });
  const writes = writesSince(emulator, updatesFrom);
  expect(writes).toEqual(
    expect.arrayContaining([
      "POST /databases",
      "PATCH /users/writer",
      "PATCH /users/reader",
      "PUT /privileges",
      "DELETE /databases/app",
    ]),
  );
  expect(writes.filter((write) => write.startsWith("POST /users"))).toEqual([]);
  expect((await api.listAllUsers({ ...where, name: "writer" }))[0].isAdmin).toBe(true);
  expect(
    Object.fromEntries(
      (await api.listAllPrivileges({ ...where, databaseName: "app2" })).map((p) => [
        p.userName,
        p.permission,
      ]),
    ),
  ).toMatchObject({ writer: "all", reader: "readonly" });
  expect((await api.listAllDatabases(where)).map((d) => d.name)).not.toContain("app");
  await program.ok("preview", { expectNoChanges: true });

  // Deleting them: privileges back to `none`, users and the database gone; the instance stays.
  program.declare([INSTANCE]);
  expect(opsOf(await program.ok("up"))).toMatchObject({
    app: "delete",
    writer: "delete",
    "writer-app": "delete",
  });
  expect((await api.listAllUsers(where)).map((u) => u.name)).not.toEqual(
    expect.arrayContaining(["writer", "reader"]),
  );
  expect((await api.listAllDatabases(where)).map((d) => d.name)).not.toContain("app2");
  await program.ok("destroy");
});

test("bad inputs fail check, one failure per property naming the rule, with no API call", async () => {
  const { program, emulator } = suite;
  const before = emulator.running.requests().length;
  const instanceId = "fr-par/11111111-1111-1111-1111-111111111111";
  program.declare([
    { type: "scaleway.Database", name: "reserved", args: { instanceId, name: "postgres" } },
    { type: "scaleway.Database", name: "badid", args: { instanceId: "not-an-id", name: "app" } },
    {
      type: "scaleway.User",
      name: "feeble",
      args: { instanceId, name: "_rdb_admin", password: "weak-pw", isAdmin: "yes" },
    },
    {
      type: "scaleway.User",
      name: "elsewhere",
      args: { instanceId, name: "bob", adoptId: "fr-par/11111111-1111-1111-1111-111111111111/alice" },
    },
    {
      type: "scaleway.Privilege",
      name: "owner",
      args: { instanceId, databaseName: "app db", userName: "bob", permission: "owner" },
    },
  ]);
  const result = await program.run("up");
  expect(result.ok).toBe(false);
  const errors = result.errors.join("\n");
  expect(errors).toMatch(/name: must not be postgres, template0 or template1/);
  expect(errors).toMatch(/instanceId: must be a instance id: \{region\}\/\{uuid\} or a UUID/);
  expect(errors).toMatch(/name: must not start with _rdb/);
  expect(errors).toMatch(/password: must be 8–128 characters/);
  expect(errors).toMatch(/isAdmin: /);
  expect(errors).toMatch(/adoptId: must name what the inputs declare: \{instanceId\}\/\{name\}/);
  expect(errors).toMatch(/databaseName: must start with a letter/);
  expect(errors).toMatch(/permission: must be one of readonly, readwrite, all, custom, none/);
  expect(errors).not.toContain("weak-pw");
  // The weak password breaks four rules but is reported once.
  expect(errors.split("password:").length - 1).toBe(1);
  const calls = emulator.running.requests().slice(before);
  expect(calls.filter((call) => call.path.startsWith("/rdb/"))).toEqual([]);
});

test("adoption: an existing database or user is refused without adoptId and taken over with it", async () => {
  const { program, emulator } = suite;
  const api = emulator.api();
  program.declare([INSTANCE]);
  await program.ok("up");
  const where = instance(program);
  await api.createDatabase({ ...where, name: "legacy" });
  await api.createUser({ ...where, name: "olduser", password: "Old-Passw0rd-1!", isAdmin: true });

  program.declare([INSTANCE, database("legacy", "legacy"), user("olduser")]);
  const refused = await program.run("up");
  expect(refused.ok).toBe(false);
  const errors = refused.errors.join("\n");
  expect(errors).toContain(`adoptId: "fr-par/${where.instanceId}/legacy"`);
  expect(errors).toContain(`adoptId: "fr-par/${where.instanceId}/olduser"`);
  expect(program.state().resources.map((r) => r.urn.split("::").pop())).toEqual(
    expect.not.arrayContaining(["legacy", "olduser"]),
  );

  const from = emulator.mutatingRequests().length;
  program.declare(
    [
      INSTANCE,
      {
        ...database("legacy", "legacy"),
        args: { instanceId: ref("db"), name: "legacy", adoptId: `fr-par/${where.instanceId}/legacy` },
      },
      user("olduser", { adoptId: `fr-par/${where.instanceId}/olduser` }),
    ],
    { password: ref("olduser", "password") },
  );
  const adopted = await program.ok("up");
  expect(opsOf(adopted)).toMatchObject({ legacy: "create", olduser: "create" });
  // Adopting sends no create: only the user's password and admin flag are set.
  expect(writesSince(emulator, from)).toEqual(["PATCH /users/olduser"]);
  expect(String(adopted.outputs.password)).toMatch(/^.{24}$/);
  expect((await api.listAllUsers({ ...where, name: "olduser" }))[0].isAdmin).toBe(false);
  await program.ok("preview", { expectNoChanges: true });

  // `custom` is only ever reported: declaring it for a pair that has no SQL grants fails before any write.
  const customFrom = emulator.mutatingRequests().length;
  program.declare([
    INSTANCE,
    { ...database("legacy", "legacy"), args: { instanceId: ref("db"), name: "legacy" } },
    user("olduser"),
    privilege("olduser-legacy", "legacy", "olduser", "custom"),
  ]);
  const custom = await program.run("up");
  expect(custom.ok).toBe(false);
  expect(custom.errors.join("\n")).toContain(
    "permission custom cannot be set through the API, only recorded: grant it with SQL first (it is none now)",
  );
  expect(writesSince(emulator, customFrom)).toEqual([]);
  await program.ok("destroy");
});

test("lookups: a database, a user and a privilege by name, and a clear error for a missing one", async () => {
  const { program, emulator } = suite;
  const api = emulator.api();
  program.declare([INSTANCE]);
  await program.ok("up");
  const where = instance(program);
  const instanceId = String(program.resource("db").id);
  await api.createDatabase({ ...where, name: "shop" });
  await api.createUser({ ...where, name: "clerk", password: "Clerk-Passw0rd-1!" });
  await api.setPrivilege({ ...where, databaseName: "shop", userName: "clerk", permission: "readonly" });
  const saved = { ...process.env };
  Object.assign(process.env, emulator.env());
  try {
    expect(await getDatabase({ instanceId, name: "shop" })).toMatchObject({ name: "shop", managed: true });
    expect(await getUser({ instanceId, name: "clerk" })).toEqual({ name: "clerk", isAdmin: false });
    expect(await getPrivilege({ instanceId, databaseName: "shop", userName: "clerk" })).toEqual({
      databaseName: "shop",
      userName: "clerk",
      permission: "readonly",
    });
    await expect(getUser({ instanceId, name: "nobody" })).rejects.toThrow(
      `no user nobody on instance ${instanceId}`,
    );
  } finally {
    process.env = saved;
  }
  await program.ok("destroy");
});

test("a create that made the user but could not read it back is recorded, not orphaned, and finished by the next up", async () => {
  const { program, emulator } = suite;
  program.declare([INSTANCE]);
  await program.ok("up");
  program.declare([INSTANCE, user("late")], { password: ref("late", "password") });
  await emulator.fault({
    method: "GET",
    path: "/rdb/v1/regions/*/instances/*/users",
    count: 1,
    ...apiError(403, "permissions_denied", "denied for the test"),
  });
  const failed = await program.run("up");
  expect(failed.ok).toBe(false);
  expect(failed.errors.join("\n")).toContain("scaleway:User late: created but not read back");
  const recorded = program.resource("late");
  expect(recorded.id).toBe(`fr-par/${instance(program).instanceId}/late`);
  expect(typeof recorded.outputs.password).not.toBe("string");

  const finished = await program.ok("up");
  expect(opsOf(finished)).toMatchObject({ late: "update" });
  const password = String(finished.outputs.password);
  expect(password).toMatch(/^.{24}$/);
  expect(isSecret(program.resource("late").outputs.password)).toBe(true);
  expect((await program.ok("up")).outputs.password).toBe(password);
  await program.ok("destroy");
});

test("creates whose answers were lost are found by name and adopted, not sent twice", async () => {
  const { program, emulator } = suite;
  program.declare([INSTANCE]);
  await program.ok("up");
  for (const part of ["databases", "users"]) {
    await emulator.fault({
      method: "POST",
      path: `/rdb/v1/regions/*/instances/*/${part}`,
      drop_response: true,
    });
  }
  const from = emulator.mutatingRequests().length;
  program.declare([INSTANCE, database("app", "app"), user("writer")]);
  const result = await program.ok("up");
  expect(opsOf(result)).toMatchObject({ app: "create", writer: "create" });
  expect(writesSince(emulator, from).sort()).toEqual(["POST /databases", "POST /users"]);
  expect(program.printed()).toMatch(/scaleway:User writer: the create did make user writer; adopting it/);
  await program.ok("preview", { expectNoChanges: true });
  await program.ok("destroy");
});

test("many users and privileges of one busy instance in one deployment all land", async () => {
  const emulator = await TestEmulator.start("fast");
  const program = TestProgram.create(emulator);
  try {
    const api = emulator.api();
    program.declare([INSTANCE, database("app", "app")]);
    await program.ok("up");
    const where = instance(program);
    const names = Array.from({ length: 8 }, (_, i) => `u${i}`);
    // The instance is `configuring` for a while when the deployment starts, some creates are refused as busy
    // once more after the wait, and some privilege writes meet PostgreSQL's concurrent-update conflict.
    await api.addInstanceSettings({ ...where, settings: [{ name: "max_connections", value: "150" }] });
    await emulator.fault({
      method: "POST",
      path: "/rdb/v1/regions/*/instances/*/users",
      count: 4,
      ...apiError(409, "transient_state", "instance is busy"),
    });
    await emulator.fault({
      method: "PUT",
      path: "/rdb/v1/regions/*/instances/*/privileges",
      count: 4,
      status: 409,
      body: { message: "Tuple concurrently updated" },
    });
    const from = emulator.running.requests().length;
    program.declare([
      INSTANCE,
      database("app", "app"),
      ...names.map((name) => user(name)),
      ...names.map((name) => privilege(`${name}-app`, "app", name, "readwrite")),
    ]);
    const result = await program.ok("up");
    expect(Object.values(opsOf(result)).filter((op) => op === "create")).toHaveLength(16);
    const refusals = emulator.running
      .requests()
      .slice(from)
      .filter((request) => request.status === 409);
    expect(refusals.length).toBeGreaterThanOrEqual(8);
    expect((await api.listAllUsers(where)).map((u) => u.name)).toEqual(expect.arrayContaining(names));
    const privileges = await api.listAllPrivileges({ ...where, databaseName: "app" });
    for (const name of names) {
      expect(privileges.find((p) => p.userName === name)?.permission).toBe("readwrite");
    }
    expect(program.printed()).toMatch(
      /scaleway:Privilege u\d on app: the instance refused the change for now/,
    );
    await program.ok("preview", { expectNoChanges: true });
    await program.ok("destroy");
  } finally {
    program.cleanup();
    await emulator.stop();
  }
});
