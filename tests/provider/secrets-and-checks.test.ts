// What state keeps and what check refuses: passwords are never plaintext inputs, engines and node types are checked
// against the region's catalogue before any change, and a failed create leaves state a provider can be loaded from.
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_PROJECT_ID, DEFAULT_SECRET_KEY } from "../../emulator/cli";
import { configure } from "../../provider/impl/config";
import { databaseBackup } from "../../provider/impl/scaleway/backup";
import { databaseInstance } from "../../provider/impl/scaleway/instance";
import { databaseBackup as scalingoBackup } from "../../provider/impl/scalingo/backup";
import { ResourceInitError, UNKNOWN } from "../../provider/impl/support";
import { apiError } from "../faults";
import { backupReadInError, INSTANCE, opsOf, useEmulatorAndProgram } from "./harness";

jest.setTimeout(180_000);

const suite = useEmulatorAndProgram();

/** Pulumi's wire marker of a secret value, as the state file stores it. */
const isSecret = (value: unknown) =>
  typeof value === "object" &&
  value !== null &&
  (value as Record<string, unknown>)["4dabf18193072939515e22adb298388d"] ===
    "1b47061264138c4ac30d75fd1eb44270";

/** The resources of the state file as stored (the test program's own config, kept with them, is left out). */
function storedResources(): string {
  const file = path.join(suite.program.dir, ".pulumi-dbaas/stacks/dev.json");
  return JSON.stringify((JSON.parse(fs.readFileSync(file, "utf8")) as { resources: unknown }).resources);
}

describe("passwords in state", () => {
  test("a generated password is never an input: not in the stored inputs, stable, secret, and in the connection string", async () => {
    suite.program.declare([INSTANCE], {
      password: { ref: "db", output: "password" },
      connection: { ref: "db", output: "connectionString" },
    });
    const first = await suite.program.ok("up");
    const password = String(first.outputs.password);
    expect(password).toMatch(/^.{24}$/);
    expect(first.secretOutputs).toEqual(expect.arrayContaining(["password", "connection"]));
    expect(String(first.outputs.connection)).toContain(`:${encodeURIComponent(password)}@`);
    expect(suite.program.resource("db").inputs).not.toHaveProperty("password");
    expect(isSecret(suite.program.resource("db").outputs.password)).toBe(true);
    expect(storedResources()).not.toContain(password);

    await suite.program.ok("refresh", { expectNoChanges: true });
    expect(suite.program.resource("db").inputs).not.toHaveProperty("password");
    expect(storedResources()).not.toContain(password);

    suite.program.declare([{ ...INSTANCE, args: { ...INSTANCE.args, tags: ["updated"] } }], {
      password: { ref: "db", output: "password" },
      connection: { ref: "db", output: "connectionString" },
    });
    const updated = await suite.program.ok("up");
    expect(opsOf(updated)).toEqual({ db: "update" });
    expect(updated.outputs.password).toBe(password);
    expect(String(updated.outputs.connection)).toContain(`:${encodeURIComponent(password)}@`);
    expect(suite.program.resource("db").inputs).not.toHaveProperty("password");
    const userUpdates = suite.emulator
      .mutatingRequests()
      .filter((request) => request.path.includes("/users/"));
    expect(userUpdates).toEqual([]);
    await suite.program.ok("destroy");
  });

  test("a declared password is a secret input even when the program passes it in plain text", async () => {
    const declared = "Plain-text-pass1!";
    suite.program.declare([{ ...INSTANCE, args: { ...INSTANCE.args, password: declared } }], {
      password: { ref: "db", output: "password" },
    });
    const created = await suite.program.ok("up");
    expect(created.outputs.password).toBe(declared);
    expect(isSecret(suite.program.resource("db").inputs.password)).toBe(true);
    expect(storedResources()).not.toContain(declared);
    await suite.program.ok("refresh", { expectNoChanges: true });
    expect(storedResources()).not.toContain(declared);
    await suite.program.ok("destroy");
  });
});

describe("engine and node type against the service catalogue", () => {
  test("check refuses what the region does not offer, naming what it does, with no mutating request", async () => {
    const before = suite.emulator.mutatingRequests().length;
    suite.program.declare([
      {
        type: "scaleway.DatabaseInstance",
        name: "db",
        args: { engine: "PostgreSQL-99", nodeType: "db-huge-xl" },
      },
      {
        type: "scaleway.DatabaseInstance",
        name: "old",
        args: { engine: "postgresql-13", nodeType: "DB-DEV-S" },
      },
    ]);
    const result = await suite.program.run("up");
    expect(result.ok).toBe(false);
    const errors = result.errors.join("\n");
    expect(errors).toContain(
      "engine: must be one of MySQL-8, PostgreSQL-14, PostgreSQL-15, PostgreSQL-16, PostgreSQL-17 " +
        "(the engines offered in fr-par)",
    );
    expect(errors).toMatch(
      /nodeType: must be one of db-dev-l, db-dev-m, db-dev-s, .*db-play2-pico.* \(the node types/,
    );
    expect(errors).toContain("engine: postgresql-13 is no longer offered in fr-par: must be one of MySQL-8");
    expect(errors).not.toMatch(/old.*nodeType/);
    expect(suite.emulator.mutatingRequests().length).toBe(before);
  });

  describe("provider calls", () => {
    let logged: string[];

    beforeEach(async () => {
      logged = [];
      jest.spyOn(console, "log").mockImplementation((line: string) => void logged.push(line));
      const settings: Record<string, string> = {
        "dbaas:apiUrl": suite.emulator.url,
        "dbaas:secretKey": DEFAULT_SECRET_KEY,
        "dbaas:projectId": DEFAULT_PROJECT_ID,
      };
      await configure({ get: (key) => settings[key] });
    });
    afterEach(async () => {
      await configure(undefined);
      jest.restoreAllMocks();
    });

    const catalogueReads = (region: string) =>
      suite.emulator.running
        .requests()
        .filter((request) => request.path.startsWith(`/rdb/v1/regions/${region}/`))
        .filter((request) => /\/(database-engines|node-types)$/.test(request.path));

    test("the catalogue is read once per region; unchanged and unknown values are not checked", async () => {
      const news = { engine: "PostgreSQL-16", nodeType: "db-dev-s", region: "pl-waw" };
      expect((await databaseInstance.check({}, news)).failures).toBeUndefined();
      expect((await databaseInstance.check({}, { ...news, nodeType: "db-dev-m" })).failures).toBeUndefined();
      expect(catalogueReads("pl-waw").map((request) => request.path.split("/").pop())).toEqual(
        expect.arrayContaining(["database-engines", "node-types"]),
      );
      expect(catalogueReads("pl-waw")).toHaveLength(2);

      const stored = { ...news, engine: "PostgreSQL-10" };
      expect((await databaseInstance.check(stored, stored)).failures).toBeUndefined();
      const unknown = await databaseInstance.check(
        {},
        { engine: UNKNOWN, nodeType: "db-nope", region: "pl-waw" },
      );
      expect(unknown.failures).toEqual([expect.objectContaining({ property: "nodeType" })]);
      expect(catalogueReads("pl-waw")).toHaveLength(2);
    });

    test("an unreadable catalogue falls back to the syntax rules and says so once", async () => {
      await suite.emulator.fault({
        method: "GET",
        path: "/rdb/v1/regions/nl-ams/*",
        count: 2,
        ...apiError(401, "denied_authentication", "authentication is denied"),
      });
      const news = { engine: "PostgreSQL-99", nodeType: "db-dev-s", region: "nl-ams" };
      expect((await databaseInstance.check({}, news)).inputs).toMatchObject({ engine: "PostgreSQL-99" });
      expect((await databaseInstance.check({}, { ...news, nodeType: "db-huge" })).failures).toBeUndefined();
      const notices = logged.filter((line) => line.includes("catalogue"));
      expect(notices).toEqual([
        expect.stringContaining("cannot read the nl-ams catalogue of engines and node types"),
      ]);
      expect(notices.join("\n")).not.toContain(DEFAULT_SECRET_KEY);
    });
  });
});

describe("a create that fails after making the object", () => {
  const __provider = "exports.handler = () => provider; // the serialized shim";

  beforeEach(async () => {
    jest.spyOn(console, "log").mockImplementation(() => undefined);
    const settings: Record<string, string> = {
      "dbaas:apiUrl": suite.emulator.url,
      "dbaas:secretKey": DEFAULT_SECRET_KEY,
      "dbaas:projectId": DEFAULT_PROJECT_ID,
      "dbaas:scalingoApiToken": "tk-us-init-error-test",
      "dbaas:scalingoAuthUrl": `${suite.emulator.url}/scalingo/auth`,
      "dbaas:scalingoApiUrl": `${suite.emulator.url}/scalingo/api`,
      "dbaas:scalingoDbApiUrl": `${suite.emulator.url}/scalingo/db-api`,
    };
    await configure({ get: (key) => settings[key] });
  });
  afterEach(async () => {
    await configure(undefined);
    jest.restoreAllMocks();
  });

  /** The init error a create throws, which must carry `__provider` for the host to store with the resource. */
  async function initError(create: Promise<unknown>): Promise<ResourceInitError> {
    const error = await create.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ResourceInitError);
    return error as ResourceInitError;
  }

  test("scaleway.DatabaseInstance", async () => {
    // An API that keeps failing the status polls until the create deadline: the waiter rides out a short outage.
    await suite.emulator.fault({
      method: "GET",
      path: "/rdb/v1/regions/*/instances/*",
      count: 1000,
      ...apiError(500, "internal_error", "internal error"),
    });
    const error = await initError(
      databaseInstance.create({
        __provider,
        name: "init-error",
        engine: "PostgreSQL-16",
        nodeType: "db-dev-s",
        userName: "admin",
        region: "fr-par",
        volumeType: "lssd",
        isHaCluster: false,
        tags: [],
        initSettings: {},
        settings: {},
        disableBackup: false,
        encryptionAtRest: false,
        timeouts: { create: "3s" },
      }),
    );
    await fetch(`${suite.emulator.url}/_emulator/faults`, { method: "DELETE" });
    expect(error.properties).toMatchObject({ __provider, status: "error" });
    expect(error.properties).not.toHaveProperty("password");
    await databaseInstance.delete(error.id, error.properties);
  });

  test("scaleway.DatabaseBackup", async () => {
    const api = suite.emulator.api();
    const instance = await api.createInstance({
      region: "fr-par",
      name: "backup-init-error",
      engine: "PostgreSQL-16",
      nodeType: "db-dev-s",
      userName: "admin",
      password: "Init-error-pass1!",
    });
    await api.waitForInstance({ region: "fr-par", instanceId: instance.id });
    await suite.emulator.fault(backupReadInError(instance.id, "backup-init-error"));
    const error = await initError(
      databaseBackup.create({
        __provider,
        instanceId: `fr-par/${instance.id}`,
        databaseName: "rdb",
        name: "dump",
        exported: false,
      }),
    );
    expect(error.properties).toMatchObject({ __provider, status: "error" });
    await api.deleteInstance({ region: "fr-par", instanceId: instance.id });
  });

  test("scalingo.DatabaseBackup", async () => {
    await fetch(`${suite.emulator.url}/_emulator/scalingo/databases`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ app: "shop", addon_id: "ad-init-error", type: "postgresql" }),
    });
    await suite.emulator.fault({
      method: "GET",
      path: "/scalingo/db-api/api/databases/ad-init-error/backups/*",
      count: 1,
      status: 200,
      body: {
        database_backup: {
          id: "0123456789abcdef01234567",
          created_at: "2026-01-01T00:00:00Z",
          name: "20260101000000_shop_1",
          status: "error",
          database_id: "ad-init-error",
          method: "manual",
        },
      },
    });
    process.env.PULUMI_DBAAS_STATE_DIR = path.join(suite.program.dir, ".pending-creates");
    try {
      const error = await initError(
        scalingoBackup.create({ __provider, app: "shop", addonId: "ad-init-error", exported: false }),
      );
      expect(error.properties).toMatchObject({ __provider });
    } finally {
      delete process.env.PULUMI_DBAAS_STATE_DIR;
    }
  });
});
