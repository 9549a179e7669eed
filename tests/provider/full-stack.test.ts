// examples/full-stack end to end through the local engine against the emulator (`fast` profile, so that the writes
// to one instance really meet its `configuring` and `snapshotting` states): up, a preview with no changes, destroy;
// one secret connection string per user, no password in the state file, and the emulator holding what was declared.
import * as fs from "node:fs";
import * as path from "node:path";
import { type EngineCommand, type EngineResult, runEngine } from "../../engine";
import { ProgramFolder, TestEmulator } from "./harness";

jest.setTimeout(180_000);

const EXAMPLE = path.resolve(__dirname, "../../examples/full-stack");
const NETWORK = "7e9c3a4b-1f2d-4c5e-8a9b-0c1d2e3f4a5b";
const CIDR = "198.51.100.0/24";

class FullStack extends ProgramFolder {
  constructor(private readonly emulator: TestEmulator) {
    super(EXAMPLE, "dbaas-full-stack-");
    const config = {
      "dbaas-full-stack:privateNetworkId": `fr-par/${NETWORK}`,
      "dbaas-full-stack:allowedCidr": CIDR,
    };
    fs.writeFileSync(path.join(this.dir, "Pulumi.dev.yaml"), JSON.stringify({ config }));
  }

  async ok(
    command: EngineCommand,
    options: { expectNoChanges?: boolean; refresh?: boolean } = {},
  ): Promise<EngineResult> {
    const result = await runEngine({
      command,
      cwd: this.dir,
      ...options,
      env: this.emulator.env(),
      onEvent: (event) => this.events.push(event),
    });
    if (!result.ok) throw new Error(`${command} failed:\n${result.errors.join("\n")}`);
    return result;
  }

  stateFile(): string {
    return fs.readFileSync(path.join(this.dir, ".pulumi-dbaas/stacks/dev.json"), "utf8");
  }
}

/** The parts of a connection string, decoded. */
function parse(connectionString: unknown) {
  if (typeof connectionString !== "string") throw new Error(`not a string: ${String(connectionString)}`);
  const url = new URL(connectionString);
  return {
    scheme: url.protocol,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    host: url.hostname,
    port: Number(url.port),
    database: url.pathname.slice(1),
    sslmode: url.searchParams.get("sslmode"),
  };
}

let emulator: TestEmulator;
let example: FullStack;

beforeEach(async () => {
  emulator = await TestEmulator.start("fast");
  example = new FullStack(emulator);
});

afterEach(async () => {
  example.cleanup();
  await emulator.stop();
});

test("up, preview with no changes and destroy; a secret connection string per user", async () => {
  const api = emulator.api();
  const up = await example.ok("up");
  const created = up.steps.filter((step) => step.custom).map((step) => `${step.op} ${step.name}`);
  expect(created.sort()).toEqual(
    [
      "main",
      "app",
      "writer",
      "reader",
      "writer-app",
      "reader-app",
      "main-acl",
      "main-replica",
      "main-snapshot",
    ]
      .map((name) => `create ${name}`)
      .sort(),
  );

  const instances = await api.listAllInstances({ region: "fr-par" });
  expect(instances).toHaveLength(1);
  const [instance] = instances;
  const where = { region: "fr-par", instanceId: instance.id };
  expect(instance.status).toBe("ready");
  const publicEndpoint = instance.endpoints.find((endpoint) => endpoint.loadBalancer);
  const privateEndpoint = instance.endpoints.find((endpoint) => endpoint.privateNetwork);
  expect(instance.endpoints).toHaveLength(2);
  expect(privateEndpoint?.privateNetwork?.privateNetworkId).toBe(NETWORK);

  // One connection string per user, secret, through the public endpoint to the application database.
  expect(up.secretOutputs).toEqual(
    expect.arrayContaining(["writerConnectionString", "readerConnectionString"]),
  );
  const writer = parse(up.outputs.writerConnectionString);
  const reader = parse(up.outputs.readerConnectionString);
  for (const [connection, user] of [
    [writer, "app_writer"],
    [reader, "app_reader"],
  ] as const) {
    expect(connection).toMatchObject({
      scheme: "postgresql:",
      user,
      host: publicEndpoint?.ip,
      port: publicEndpoint?.port,
      database: "app",
      sslmode: "require",
    });
    expect(connection.password).toHaveLength(24);
  }
  expect(writer.password).not.toBe(reader.password);
  const state = example.stateFile();
  for (const password of [writer.password, reader.password]) {
    expect(state).not.toContain(password);
    expect(state).not.toContain(encodeURIComponent(password));
    expect(example.printed()).not.toContain(password);
  }

  // The emulator holds what the program declared.
  expect((await api.listAllDatabases(where)).map((database) => database.name)).toContain("app");
  expect((await api.listAllUsers(where)).map((user) => user.name)).toEqual(
    expect.arrayContaining(["app_writer", "app_reader"]),
  );
  const privileges = await api.listAllPrivileges({ ...where, databaseName: "app" });
  const permissionOf = (userName: string) =>
    privileges.find((privilege) => privilege.userName === userName)?.permission;
  expect([permissionOf("app_writer"), permissionOf("app_reader")]).toEqual(["readwrite", "readonly"]);
  expect((await api.listAllInstanceAclRules(where)).map((rule) => rule.ip)).toEqual([CIDR]);
  const [replica] = instance.readReplicas;
  expect(instance.readReplicas).toHaveLength(1);
  const live = await api.getReadReplica({ region: "fr-par", readReplicaId: replica.id });
  expect(live.status).toBe("ready");
  expect(live.endpoints.map((endpoint) => endpoint.privateNetwork?.privateNetworkId)).toEqual([NETWORK]);
  const snapshots = await api.listAllSnapshots(where);
  expect(snapshots.map((snapshot) => [`fr-par/${snapshot.id}`, snapshot.status])).toEqual([
    [up.outputs.snapshotId, "ready"],
  ]);

  // Neither the program nor what the emulator reports back differs from what up applied.
  await example.ok("preview", { expectNoChanges: true });
  await example.ok("preview", { expectNoChanges: true, refresh: true });

  const destroyed = await example.ok("destroy");
  expect(destroyed.steps.filter((step) => step.custom && step.op === "delete")).toHaveLength(9);
  expect(await api.listAllInstances({ region: "fr-par" })).toEqual([]);
  expect(await api.listAllSnapshots({ region: "fr-par" })).toEqual([]);
  await expect(api.getReadReplica({ region: "fr-par", readReplicaId: replica.id })).rejects.toMatchObject({
    status: 404,
  });
  expect(JSON.parse(example.stateFile()).resources).toEqual([]);
});
