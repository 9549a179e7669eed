// The provider as Pulumi really runs it: the shim serialized by Pulumi's closure serializer, loaded by the real
// dynamic-provider host from the program folder, and called over gRPC — and the size of what state stores per resource.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_PROJECT_ID, DEFAULT_SECRET_KEY } from "../../emulator/cli";
import { ProviderHost } from "../../engine/provider-host";
import { dynamicProvider, type ResourceKind } from "../../provider/shim";
import { TestEmulator, TestProgram } from "./harness";

jest.setTimeout(60_000);

const KINDS: ResourceKind[] = [
  "scaleway:DatabaseInstance",
  "scaleway:DatabaseBackup",
  "scaleway:BackupSchedule",
  "scaleway:BackupRestore",
  "scaleway:Database",
  "scaleway:User",
  "scaleway:Privilege",
  "scaleway:Acl",
  "scaleway:ReadReplica",
  "scaleway:Snapshot",
  "scalingo:DatabaseBackup",
  "scalingo:BackupSchedule",
  "serverless:BackupExport",
];

/** Exactly what `pulumi.dynamic.Resource` stores in `__provider`. */
async function serialized(kind: ResourceKind): Promise<string> {
  const provider = dynamicProvider(kind);
  return (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text;
}

describe("the serialized provider", () => {
  it("is one object per kind, so that Pulumi serializes it once for every resource of that kind", () => {
    expect(dynamicProvider("scaleway:DatabaseBackup")).toBe(dynamicProvider("scaleway:DatabaseBackup"));
    expect(dynamicProvider("scaleway:DatabaseBackup")).not.toBe(dynamicProvider("scaleway:DatabaseInstance"));
  });

  test.each(KINDS)(
    "%s is a small shim with no credentials, no paths and no copied library code",
    async (kind) => {
      process.env.SCW_SECRET_KEY = "must-not-be-captured-0000";
      const text = await serialized(kind);
      delete process.env.SCW_SECRET_KEY;
      console.log(`serialized provider for ${kind}: ${text.length} bytes`);
      expect(text.length).toBeLessThan(4096);
      expect(text).toContain('require("pulumi-dbaas/provider-impl")');
      expect(text).toContain(JSON.stringify(kind));
      expect(text).not.toContain("must-not-be-captured");
      expect(text).not.toContain(path.resolve(__dirname, "../.."));
      expect(text).not.toMatch(/zod|axios|RdbApi/);
    },
  );
});

describe("through the real dynamic-provider host over gRPC", () => {
  let emulator: TestEmulator;
  let program: TestProgram;
  let host: ProviderHost;
  const urn = "urn:pulumi:dev::p::pulumi-nodejs:dynamic/dbaas/scaleway:DatabaseInstance::db";

  beforeAll(async () => {
    emulator = await TestEmulator.start();
    program = TestProgram.create(emulator);
    host = await ProviderHost.start({
      entry: require.resolve("@pulumi/pulumi/cmd/dynamic-provider"),
      cwd: program.dir,
      env: { ...process.env, PULUMI_NODEJS_PROJECT: "p", PULUMI_NODEJS_STACK: "dev" },
      onOutput: () => undefined,
    });
    await host.configure({
      "dbaas:apiUrl": emulator.url,
      "dbaas:secretKey": DEFAULT_SECRET_KEY,
      "dbaas:projectId": DEFAULT_PROJECT_ID,
    });
  });
  afterAll(async () => {
    await host.stop();
    program.cleanup();
    await emulator.stop();
  });

  test("check reports each bad property with its rule; good inputs come back with defaults", async () => {
    const __provider = await serialized("scaleway:DatabaseInstance");
    const bad = await host.check(urn, {}, { __provider, engine: "PostgreSQL", nodeType: "x", tags: "a" });
    expect(bad.failures.map((f) => f.property).sort()).toEqual(["engine", "nodeType", "tags"]);
    const good = await host.check(
      urn,
      {},
      { __provider, engine: "PostgreSQL-16", nodeType: "DB-DEV-S", __identity: "p/dev/k/db" },
    );
    expect(good.failures).toEqual([]);
    expect(good.inputs).toMatchObject({
      userName: "admin",
      volumeType: "lssd",
      region: "fr-par",
      isHaCluster: false,
    });
    expect(String(good.inputs.name)).toMatch(/^db-[a-z0-9]{7}$/);
  });

  test("create, diff, read and delete round-trip plain JSON through the host", async () => {
    const __provider = await serialized("scaleway:DatabaseInstance");
    const { inputs } = await host.check(
      urn,
      {},
      { __provider, engine: "PostgreSQL-16", nodeType: "db-dev-s", __identity: "p/dev/k/db" },
    );
    const created = await host.create(urn, inputs);
    expect(created.id).toMatch(/^fr-par\//);
    expect(created.outputs.__provider).toBe(__provider);
    const same = await host.diff(urn, created.id, created.outputs, inputs, inputs);
    expect(same.changes).toBe("none");
    const renamed = await host.diff(urn, created.id, created.outputs, { ...inputs, name: "other" }, inputs);
    expect(renamed).toMatchObject({ changes: "some", replaces: [] });
    const engine = await host.diff(
      urn,
      created.id,
      created.outputs,
      { ...inputs, engine: "MySQL-8" },
      inputs,
    );
    expect(engine.replaces).toEqual(["engine"]);
    const read = await host.read(urn, created.id, created.outputs, inputs);
    expect(read.id).toBe(created.id);
    expect(read.inputs).toMatchObject({ name: inputs.name, engine: "PostgreSQL-16" });
    await host.delete(urn, created.id, created.outputs, inputs);
    const gone = await host.read(urn, created.id, created.outputs, inputs);
    expect(gone.id).toBe("");
  });
});
