// Secrets under the real engine's rules: nothing secret in plaintext anywhere in the state file or outside a secret
// envelope once decrypted, a generated password (an instance's or a user's) never among the inputs, and no
// password, API key or URL signature in any line the engine, the program or the provider host prints, nor in any
// error message.
import * as fs from "node:fs";
import * as path from "node:path";
import type { EngineResult, JsonValue } from "../../engine";
import { loadProject, loadStackConfig } from "../../engine/project";
import { readState } from "../../engine/state";
import { INSTANCE, useEmulatorAndProgram } from "./harness";

jest.setTimeout(180_000);

const suite = useEmulatorAndProgram();
const GIVEN_PASSWORD = "Given-Passw0rd-4711!";
const SCALINGO_TOKEN = "tk-us-secure-config-0123456789";
const SIG_KEY = "4dabf18193072939515e22adb298388d";

function isEnvelope(value: JsonValue): value is { [key: string]: JsonValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value) && SIG_KEY in value;
}

/** Every string found outside a secret envelope, with its path. */
function plainStrings(value: JsonValue, at = "$"): Array<[string, string]> {
  if (isEnvelope(value)) return [];
  if (typeof value === "string") return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((item, index) => plainStrings(item, `${at}[${index}]`));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value as { [key: string]: JsonValue }).flatMap(([key, item]) =>
      plainStrings(item, /^\w+$/.test(key) ? `${at}.${key}` : `${at}[${JSON.stringify(key)}]`),
    );
  }
  return [];
}

/** The values of `key` anywhere inside secret envelopes (or plain: then the test below fails on them). */
function valuesOf(value: JsonValue, key: string): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => valuesOf(item, key));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([name, item]) => {
    const inner = isEnvelope(item) ? (item.value ?? null) : item;
    return name === key && typeof inner === "string"
      ? [inner, ...valuesOf(inner, key)]
      : valuesOf(inner, key);
  });
}

/** The stack's secrets manager and its state as the engine reads it: decrypted, secrets still in envelopes. */
function stack() {
  const { dir } = suite.program;
  const { secrets } = loadStackConfig(loadProject(dir), "dev", suite.emulator.env());
  const state = readState(path.join(dir, ".pulumi-dbaas/stacks/dev.json"), secrets) as unknown as JsonValue;
  return { secrets, state };
}

/** Adds `dbaas:scalingoApiToken` as `secure:` config, encrypted with the salt the stack already has. */
function addSecureConfig(): void {
  const file = path.join(suite.program.dir, "Pulumi.dev.yaml");
  const { secrets } = stack();
  const ciphertext = secrets.encrypt(SCALINGO_TOKEN);
  const document = JSON.parse(fs.readFileSync(file, "utf8")) as {
    config: Record<string, unknown>;
    encryptionsalt?: string;
  };
  document.encryptionsalt ??= secrets.record()?.state.salt;
  document.config["dbaas:scalingoApiToken"] = { secure: ciphertext };
  fs.writeFileSync(file, JSON.stringify(document, null, 2));
}

function printedBy(results: EngineResult[]): string {
  return [
    suite.program.printed(),
    ...results.flatMap((result) => [...result.errors, ...result.diagnostics.map((d) => d.message)]),
  ].join("\n");
}

test("no secret in plaintext in state, printed lines or errors; a generated password is never an input", async () => {
  const resources = [
    INSTANCE,
    {
      type: "scaleway.DatabaseInstance",
      name: "given",
      args: { ...INSTANCE.args, password: GIVEN_PASSWORD },
    },
    { type: "scaleway.DatabaseBackup", name: "dump", args: { instanceId: { ref: "db" }, exported: true } },
    { type: "scaleway.User", name: "app-user", args: { instanceId: { ref: "db" }, name: "app_user" } },
    {
      type: "scaleway.User",
      name: "given-user",
      args: { instanceId: { ref: "db" }, name: "given_user", password: GIVEN_PASSWORD },
    },
  ];
  const exports = {
    connection: { ref: "db", output: "connectionString" },
    url: { ref: "dump", output: "downloadUrl" },
  };
  suite.program.declare(resources, exports);
  const results = [await suite.program.ok("up")];
  addSecureConfig();
  results.push(await suite.program.ok("preview", { expectNoChanges: true }));

  const { state } = stack();
  const passwords = valuesOf(state, "password");
  const urls = valuesOf(state, "downloadUrl");
  const connections = valuesOf(state, "connectionString");
  expect(passwords).toEqual(expect.arrayContaining([GIVEN_PASSWORD]));
  // The two instances' and the two users': one given to an instance and a user, two generated.
  expect(new Set(passwords).size).toBe(3);
  expect(urls.length).toBeGreaterThan(0);
  expect(connections.length).toBeGreaterThan(0);
  const secrets = [
    ...passwords,
    ...urls,
    ...connections,
    suite.emulator.env().SCW_SECRET_KEY!,
    SCALINGO_TOKEN,
  ];
  const signatures = urls.map((url) => new URL(url).search).filter((query) => query.length > 1);
  expect(signatures.length).toBeGreaterThan(0);

  const leaks = (text: string) => [...secrets, ...signatures].filter((secret) => text.includes(secret));
  // The test program reads its resource list (the given password with it) from plain stack config, which the
  // state records for the provider as the real engine does: that one entry is the test's own doing.
  const file = JSON.parse(
    fs.readFileSync(path.join(suite.program.dir, ".pulumi-dbaas/stacks/dev.json"), "utf8"),
  ) as { providerConfig: Record<string, unknown> };
  delete file.providerConfig["test:resources"];
  const raw = JSON.stringify(file);
  expect(leaks(raw)).toEqual([]);
  expect(raw).not.toMatch(/X-Amz-Signature|"value":/);
  const config = fs.readFileSync(path.join(suite.program.dir, "Pulumi.dev.yaml"), "utf8");
  expect(leaks(config).filter((secret) => secret !== GIVEN_PASSWORD)).toEqual([]);

  const outside = plainStrings(state).filter(
    ([at, text]) => leaks(text).length > 0 && at !== '$.providerConfig["test:resources"]',
  );
  expect(outside).toEqual([]);
  const generated = suite.program.resource("db");
  expect(Object.keys(generated.inputs)).not.toContain("password");
  expect(isEnvelope(suite.program.resource("given").inputs.password as JsonValue)).toBe(true);
  expect(Object.keys(suite.program.resource("app-user").inputs)).not.toContain("password");
  expect(isEnvelope(suite.program.resource("app-user").outputs.password as JsonValue)).toBe(true);
  expect(isEnvelope(suite.program.resource("given-user").inputs.password as JsonValue)).toBe(true);

  // A failing update of the password: the error names the resource, not the password.
  const changed = resources.map((spec) =>
    spec.name === "given" ? { ...spec, args: { ...spec.args, password: "Other-Passw0rd-4711!" } } : spec,
  );
  suite.program.declare(changed, exports);
  addSecureConfig();
  await suite.emulator.fault({ method: "PATCH", path: "/rdb/v1/regions/*/instances/*/users/*", status: 500 });
  const failed = await suite.program.run("up");
  expect(failed.ok).toBe(false);
  results.push(failed);
  expect(failed.errors.join("\n")).toContain("given");

  const printed = printedBy(results);
  expect(printed.length).toBeGreaterThan(0);
  expect(leaks(printed)).toEqual([]);
  expect(printed).not.toContain("Other-Passw0rd-4711!");
});
