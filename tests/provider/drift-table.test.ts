// Real drift is always seen: for every managed property of every resource, an out-of-band change makes both drift
// jobs (`preview --refresh --expect-no-changes` and `refresh --expect-no-changes`) fail naming the resource and the
// property, and the next `up` puts the declared value back. Rows that do not disturb each other run in one stack.
import type { EngineResult } from "../../engine";
import { ScalingoClient } from "../../sdk";
import { type ResourceSpec, useEmulatorAndProgram, uuidOf } from "./harness";

jest.setTimeout(240_000);

const suite = useEmulatorAndProgram();

interface DriftRow {
  /** The resource (its name in the program) and the property the change must be reported on. */
  resource: string;
  property: string;
  /** Makes the change behind Pulumi's back, through the API. */
  change: () => Promise<void>;
  /** The live value after the repairing `up`, compared with `declared`. */
  live: () => Promise<unknown>;
  declared: unknown;
}

/** The keys a failed drift job named for `resource`, from its steps (`~ update db [name, tags]`). */
function namedKeys(result: EngineResult, resource: string): string[] {
  return result.steps
    .filter((step) => step.name === resource && step.op !== "same")
    .flatMap((step) => step.keys ?? []);
}

/** Runs the table: one `up`, every change, both drift jobs failing on every row, the repair, both jobs passing. */
async function checkDrift(
  resources: ResourceSpec[],
  rows: DriftRow[],
  env?: Record<string, string>,
): Promise<void> {
  const { program } = suite;
  program.declare(resources);
  await program.ok("up", { env });
  await program.ok("preview", { refresh: true, expectNoChanges: true, env });
  for (const row of rows) await row.change();

  const previewed = await program.run("preview", { refresh: true, expectNoChanges: true, env });
  expect(previewed.ok).toBe(false);
  const refreshed = await program.run("refresh", { expectNoChanges: true, env });
  expect(refreshed.ok).toBe(false);
  for (const row of rows) {
    for (const result of [previewed, refreshed]) {
      expect({ row: `${row.resource}.${row.property}`, keys: namedKeys(result, row.resource) }).toEqual({
        row: `${row.resource}.${row.property}`,
        keys: expect.arrayContaining([row.property]),
      });
      expect(result.errors.join("\n")).toContain(row.resource);
    }
  }

  await program.ok("up", { env });
  for (const row of rows) {
    expect({ row: `${row.resource}.${row.property}`, live: await row.live() }).toEqual({
      row: `${row.resource}.${row.property}`,
      live: row.declared,
    });
  }
  await program.ok("preview", { refresh: true, expectNoChanges: true, env });
  await program.ok("refresh", { expectNoChanges: true, env });
}

function instanceId(name: string): { region: string; instanceId: string } {
  return { region: "fr-par", instanceId: uuidOf(String(suite.program.resource(name).id)) };
}

function backupId(name: string): { region: string; databaseBackupId: string } {
  return { region: "fr-par", databaseBackupId: uuidOf(String(suite.program.resource(name).id)) };
}

const INSTANCE_ARGS = {
  engine: "PostgreSQL-16",
  nodeType: "db-dev-s",
  name: "drift-db",
  tags: ["team-a"],
  settings: { max_connections: "200" },
  backupSameRegion: false,
  logsPolicy: { maxAgeRetention: 30 },
};

test("DatabaseInstance, BackupSchedule and DatabaseBackup: every managed property changed out of band", async () => {
  const api = () => suite.emulator.api();
  const instance = async () => api().getInstance(instanceId("db"));
  const backup = async () => api().getDatabaseBackup(backupId("dump"));
  const rows: DriftRow[] = [
    {
      resource: "db",
      property: "name",
      change: async () => void (await api().updateInstance({ ...instanceId("db"), name: "renamed-by-hand" })),
      live: async () => (await instance()).name,
      declared: "drift-db",
    },
    {
      resource: "db",
      property: "tags",
      change: async () =>
        void (await api().updateInstance({ ...instanceId("db"), tags: ["team-a", "by-hand"] })),
      live: async () => (await instance()).tags.filter((tag) => !tag.startsWith("pulumi-dbaas:")),
      declared: ["team-a"],
    },
    {
      resource: "db",
      property: "settings",
      change: async () => {
        await api().addInstanceSettings({
          ...instanceId("db"),
          settings: [{ name: "max_connections", value: "150" }],
        });
        await api().waitForInstance(instanceId("db"));
      },
      live: async () =>
        (await instance()).settings.find((setting) => setting.name === "max_connections")?.value,
      declared: "200",
    },
    {
      resource: "db",
      property: "backupSameRegion",
      change: async () => void (await api().updateInstance({ ...instanceId("db"), backupSameRegion: true })),
      live: async () => (await instance()).backupSameRegion,
      declared: false,
    },
    {
      resource: "db",
      property: "logsPolicy",
      change: async () =>
        void (await api().updateInstance({ ...instanceId("db"), logsPolicy: { maxAgeRetention: 7 } })),
      live: async () => (await instance()).logsPolicy?.maxAgeRetention,
      declared: 30,
    },
    {
      resource: "schedule",
      property: "frequencyHours",
      change: async () =>
        void (await api().updateInstance({ ...instanceId("db"), backupScheduleFrequency: 6 })),
      live: async () => (await instance()).backupSchedule?.frequency,
      declared: 12,
    },
    {
      resource: "schedule",
      property: "retentionDays",
      change: async () =>
        void (await api().updateInstance({ ...instanceId("db"), backupScheduleRetention: 3 })),
      live: async () => (await instance()).backupSchedule?.retention,
      declared: 14,
    },
    {
      resource: "schedule",
      property: "enabled",
      change: async () =>
        void (await api().updateInstance({ ...instanceId("db"), isBackupScheduleDisabled: true })),
      live: async () => (await instance()).backupSchedule?.disabled,
      declared: false,
    },
    {
      resource: "dump",
      property: "name",
      change: async () =>
        void (await api().updateDatabaseBackup({ ...backupId("dump"), name: "renamed-dump" })),
      live: async () => (await backup()).name,
      declared: "nightly-dump",
    },
    {
      resource: "dump",
      property: "expiresAt",
      change: async () =>
        void (await api().updateDatabaseBackup({ ...backupId("dump"), expiresAt: "2033-03-03T00:00:00Z" })),
      live: async () => Date.parse(String((await backup()).expiresAt)),
      declared: Date.parse("2031-01-01T00:00:00Z"),
    },
  ];
  await checkDrift(
    [
      { type: "scaleway.DatabaseInstance", name: "db", args: INSTANCE_ARGS },
      {
        type: "scaleway.BackupSchedule",
        name: "schedule",
        args: { instanceId: { ref: "db" }, frequencyHours: 12, retentionDays: 14, enabled: true },
      },
      {
        type: "scaleway.DatabaseBackup",
        name: "dump",
        args: { instanceId: { ref: "db" }, name: "nightly-dump", expiresAt: "2031-01-01T00:00:00Z" },
      },
    ],
    rows,
  );
});

test("Acl, ReadReplica and Snapshot: every managed property changed out of band", async () => {
  const api = () => suite.emulator.api();
  const replicaId = () => ({
    region: "fr-par",
    readReplicaId: uuidOf(String(suite.program.resource("replica").id)),
  });
  const snapshotId = () => ({
    region: "fr-par",
    snapshotId: uuidOf(String(suite.program.resource("snap").id)),
  });
  const network = "7e9c3a4b-1f2d-4c5e-8a9b-0c1d2e3f4a5b";
  const endpointOf = async (kind: "directAccess" | "privateNetwork") =>
    (await api().getReadReplica(replicaId())).endpoints.find((endpoint) => endpoint[kind]);
  const removeEndpoint = (kind: "directAccess" | "privateNetwork") => async () => {
    const endpoint = await endpointOf(kind);
    await api().deleteEndpoint({ region: "fr-par", endpointId: String(endpoint?.id) });
    await api().waitForReadReplica(replicaId());
  };
  const rows: DriftRow[] = [
    {
      resource: "acl",
      property: "rules",
      change: async () => {
        await api().addInstanceAclRules({ ...instanceId("db"), rules: [{ ip: "0.0.0.0/0" }] });
        await api().waitForInstance(instanceId("db"));
      },
      live: async () => (await api().listAllInstanceAclRules(instanceId("db"))).map((rule) => rule.ip),
      declared: ["203.0.113.0/24"],
    },
    {
      resource: "replica",
      property: "directAccess",
      change: removeEndpoint("directAccess"),
      live: async () => (await endpointOf("directAccess")) !== undefined,
      declared: true,
    },
    {
      resource: "replica",
      property: "privateNetwork",
      change: removeEndpoint("privateNetwork"),
      live: async () => (await endpointOf("privateNetwork"))?.privateNetwork?.privateNetworkId,
      declared: network,
    },
    {
      resource: "snap",
      property: "name",
      change: async () => void (await api().updateSnapshot({ ...snapshotId(), name: "renamed-by-hand" })),
      live: async () => (await api().getSnapshot(snapshotId())).name,
      declared: "before-upgrade",
    },
    {
      resource: "snap",
      property: "expiresAt",
      change: async () =>
        void (await api().updateSnapshot({ ...snapshotId(), expiresAt: "2033-03-03T00:00:00Z" })),
      live: async () => Date.parse(String((await api().getSnapshot(snapshotId())).expiresAt)),
      declared: Date.parse("2031-01-01T00:00:00Z"),
    },
  ];
  await checkDrift(
    [
      {
        type: "scaleway.DatabaseInstance",
        name: "db",
        args: { ...INSTANCE_ARGS, volumeType: "sbs_5k", volumeSizeGb: 10 },
      },
      {
        type: "scaleway.Acl",
        name: "acl",
        args: { instanceId: { ref: "db" }, rules: [{ ip: "203.0.113.0/24", description: "office" }] },
      },
      {
        type: "scaleway.ReadReplica",
        name: "replica",
        args: {
          instanceId: { ref: "db" },
          directAccess: true,
          privateNetwork: { privateNetworkId: network },
        },
      },
      {
        type: "scaleway.Snapshot",
        name: "snap",
        args: { instanceId: { ref: "db" }, name: "before-upgrade", expiresAt: "2031-01-01T00:00:00Z" },
      },
    ],
    rows,
  );
});

test("DatabaseInstance node type upgraded out of band is put back", async () => {
  const api = () => suite.emulator.api();
  await checkDrift(
    [{ type: "scaleway.DatabaseInstance", name: "db", args: INSTANCE_ARGS }],
    [
      {
        resource: "db",
        property: "nodeType",
        change: async () => {
          await api().upgradeInstance({ ...instanceId("db"), nodeType: "db-dev-m" });
          await api().waitForInstance(instanceId("db"));
        },
        live: async () => (await api().getInstance(instanceId("db"))).nodeType,
        declared: "db-dev-s",
      },
    ],
  );
});

test("DatabaseInstance endpoints deleted out of band are put back", async () => {
  const api = () => suite.emulator.api();
  const network = "a1b2c3d4-0000-4000-8000-00000000d001";
  const endpoints = async () => (await api().getInstance(instanceId("db"))).endpoints;
  const deleteEndpoints = (which: (endpoint: { loadBalancer?: object | null }) => boolean) => async () => {
    for (const endpoint of (await endpoints()).filter(which)) {
      await api().deleteEndpoint({ region: "fr-par", endpointId: endpoint.id });
      await api().waitForInstance(instanceId("db"));
    }
  };
  await checkDrift(
    [
      {
        type: "scaleway.DatabaseInstance",
        name: "db",
        args: { ...INSTANCE_ARGS, privateNetwork: { privateNetworkId: network }, loadBalancer: true },
      },
    ],
    [
      {
        resource: "db",
        property: "privateNetwork",
        change: deleteEndpoints((endpoint) => !endpoint.loadBalancer),
        live: async () => (await endpoints()).flatMap((e) => e.privateNetwork?.privateNetworkId ?? []),
        declared: [network],
      },
      {
        resource: "db",
        property: "loadBalancer",
        change: deleteEndpoints((endpoint) => Boolean(endpoint.loadBalancer)),
        live: async () => (await endpoints()).filter((e) => e.loadBalancer).length,
        declared: 1,
      },
    ],
  );
});

test("Database, User and Privilege: a permission and an admin flag changed out of band", async () => {
  const api = () => suite.emulator.api();
  const privilegeOf = async () =>
    (await api().listAllPrivileges({ ...instanceId("db"), databaseName: "app", userName: "writer" }))[0]
      ?.permission;
  const rows: DriftRow[] = [
    {
      resource: "writer-app",
      property: "permission",
      change: async () =>
        void (await api().setPrivilege({
          ...instanceId("db"),
          databaseName: "app",
          userName: "writer",
          permission: "readonly",
        })),
      live: privilegeOf,
      declared: "readwrite",
    },
    {
      resource: "writer",
      property: "isAdmin",
      change: async () =>
        void (await api().updateUser({ ...instanceId("db"), name: "writer", isAdmin: true })),
      live: async () => (await api().listAllUsers({ ...instanceId("db"), name: "writer" }))[0]?.isAdmin,
      declared: false,
    },
  ];
  await checkDrift(
    [
      { type: "scaleway.DatabaseInstance", name: "db", args: INSTANCE_ARGS },
      { type: "scaleway.Database", name: "app", args: { instanceId: { ref: "db" }, name: "app" } },
      { type: "scaleway.User", name: "writer", args: { instanceId: { ref: "db" }, name: "writer" } },
      {
        type: "scaleway.Privilege",
        name: "writer-app",
        args: {
          instanceId: { ref: "db" },
          databaseName: { ref: "app", output: "name" },
          userName: { ref: "writer", output: "name" },
          permission: "readwrite",
        },
      },
    ],
    rows,
  );
});

test("a backup deleted out of band leaves the state on refresh and is created again", async () => {
  const { program } = suite;
  const api = suite.emulator.api();
  program.declare([
    { type: "scaleway.DatabaseInstance", name: "db", args: INSTANCE_ARGS },
    { type: "scaleway.DatabaseBackup", name: "dump", args: { instanceId: { ref: "db" } } },
  ]);
  await program.ok("up");
  const before = program.resource("dump").id;
  await api.deleteDatabaseBackup(backupId("dump"));
  await api.waitForDatabaseBackupDeletion(backupId("dump"));

  const previewed = await program.run("preview", { refresh: true, expectNoChanges: true });
  expect(previewed.ok).toBe(false);
  expect(previewed.steps.find((step) => step.name === "dump")?.op).toBe("create");
  const refreshed = await program.run("refresh", { expectNoChanges: true });
  expect(refreshed.ok).toBe(false);
  expect(refreshed.steps.find((step) => step.name === "dump")?.op).toBe("delete");
  expect(refreshed.errors.join("\n")).toContain("dump");

  await program.ok("up");
  expect(program.resource("dump").id).not.toBe(before);
  await program.ok("preview", { refresh: true, expectNoChanges: true });
});

test("scalingo.BackupSchedule: enabled and hour changed out of band", async () => {
  const { emulator } = suite;
  const token = "tk-us-drift-table-0123456789";
  const env = {
    ...emulator.env(),
    SCALINGO_API_TOKEN: token,
    SCALINGO_AUTH_URL: `${emulator.url}/scalingo/auth`,
    SCALINGO_API_URL: `${emulator.url}/scalingo/api`,
    SCALINGO_DB_API_URL: `${emulator.url}/scalingo/db-api`,
  };
  const database = { app: "drift-app", addonId: "ad-drift-postgresql" };
  const created = await fetch(`${emulator.url}/_emulator/scalingo/databases`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ app: database.app, addon_id: database.addonId, type: "postgresql" }),
  });
  expect(created.status).toBe(201);
  const client = new ScalingoClient({
    apiToken: token,
    authUrl: env.SCALINGO_AUTH_URL,
    apiUrl: env.SCALINGO_API_URL,
    dbApiUrl: env.SCALINGO_DB_API_URL,
    env: {},
  });
  const schedule = async () => client.getDatabase(database);
  await checkDrift(
    [{ type: "scalingo.BackupSchedule", name: "nightly", args: { ...database, enabled: true, hour: 3 } }],
    [
      {
        resource: "nightly",
        property: "hour",
        change: async () =>
          void (await client.updatePeriodicBackups({ ...database, enabled: true, hour: 5 })),
        live: async () => (await schedule()).periodicBackupsScheduledAt,
        declared: [3],
      },
      {
        resource: "nightly",
        property: "enabled",
        change: async () => void (await client.updatePeriodicBackups({ ...database, enabled: false })),
        live: async () => (await schedule()).periodicBackupsEnabled,
        declared: true,
      },
    ],
    env,
  );
});
