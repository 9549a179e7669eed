// Secrets as the Pulumi CLI's passphrase secrets manager keeps them: which values are secret, their encryption in the
// state file, the passphrase rules, `secure:` stack config, and what printed output is masked (only secure config).
import * as fs from "node:fs";
import * as path from "node:path";
import { formatSummary, jsonDocument } from "../../engine";
import { loadProject, loadStackConfig } from "../../engine/project";
import { readState } from "../../engine/state";
import { type FixtureProject, TEST_PASSPHRASE, useDeclarativeFixtures } from "./helpers";

// Each engine run starts the program and the provider host (2–4 s; `up` runs the program twice).
jest.setTimeout(120_000);

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";
const ENCRYPTED = { [SIG]: SECRET, ciphertext: expect.stringMatching(/^v1:[^:]+:[^:]+$/) };
const MISSING =
  "passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables";

const fixture = useDeclarativeFixtures();

function printedLines(project: FixtureProject, source: "program" | "provider"): string[] {
  return project.events.flatMap((event) =>
    event.kind === "output" && event.source === source ? [event.line] : [],
  );
}

let stack: FixtureProject;
/** The program reads the secret from its environment: a literal in the stack config would be stored in plain text. */
const PASSWORD = { FIXTURE_PASSWORD: "hunter2-secret" };

test("secret inputs (only where the program's value was), their outputs and additionalSecretOutputs are encrypted in the state file", async () => {
  stack = fixture();
  stack.configure(
    [
      {
        name: "s",
        props: { password: { secretEnv: "FIXTURE_PASSWORD" }, note: "plain-note", echo: true },
        options: { additionalSecretOutputs: ["arn"] },
      },
    ],
    { password: { ref: "s", output: "password" }, arn: { ref: "s" }, plain: { ref: "s", output: "region" } },
  );
  const result = await stack.run("up", { env: PASSWORD });
  expect(result.errors).toEqual([]);
  expect(result.outputs.password).toBe("hunter2-secret");
  expect(result.secretOutputs.sort()).toEqual(["arn", "password"]);

  const text = fs.readFileSync(stack.stateFile, "utf8");
  expect(text).not.toContain("hunter2-secret");
  expect(text).not.toContain("arn:fake:obj-1");
  const stored = stack.resource("s")!;
  // provider_plugin.go `Create`: an output is secret where its input was; step_executor.go adds the
  // additionalSecretOutputs.
  expect(stored.inputs).toMatchObject({ password: ENCRYPTED, note: "plain-note", name: "s" });
  expect(stored.outputs).toMatchObject({
    password: ENCRYPTED,
    arn: ENCRYPTED,
    note: "plain-note",
    region: "fr-par",
  });
  expect(stack.state().outputs).toMatchObject({ password: ENCRYPTED, arn: ENCRYPTED, plain: "fr-par" });

  // The salt is the stack config's `encryptionsalt`, recorded with the state as its secrets provider.
  const salt = (JSON.parse(fs.readFileSync(stack.stackConfigFile, "utf8")) as { encryptionsalt?: string })
    .encryptionsalt;
  expect(salt).toMatch(/^v1:/);
  expect(stack.state().secretsProviders).toEqual({ type: "passphrase", state: { salt } });
  const { secrets } = loadStackConfig(loadProject(stack.dir), "dev", {
    PULUMI_CONFIG_PASSPHRASE: TEST_PASSPHRASE,
  });
  const decrypted = readState(stack.stateFile, secrets).resources.find((resource) =>
    resource.urn.endsWith("::s"),
  );
  expect(decrypted?.inputs.password).toEqual({ [SIG]: SECRET, value: "hunter2-secret" });

  // The summary masks secret stack outputs; a provider printing a secret input is NOT masked, as under the real
  // CLI (pkg/engine/events.go filters only decrypted secure config values).
  const printed = `${formatSummary(result)}${jsonDocument(result)}`;
  expect(printed).toContain("password: [secret]");
  expect(printed).toContain('plain: "fr-par"');
  expect(printed).not.toContain("hunter2-secret");
  expect(printed).not.toContain("arn:fake:obj-1");
  expect(printedLines(stack, "provider").join("\n")).toContain('"password":"hunter2-secret"');
});

test("passphrase: a wrong one fails as incorrect, none fails with the CLI's message, PULUMI_CONFIG_PASSPHRASE_FILE works", async () => {
  const wrong = await stack.run("preview", { env: { PULUMI_CONFIG_PASSPHRASE: "not-the-passphrase" } });
  expect(wrong.ok).toBe(false);
  expect(wrong.errors.join("\n")).toMatch(/incorrect passphrase/);

  const unset = { PULUMI_CONFIG_PASSPHRASE: undefined, PULUMI_CONFIG_PASSPHRASE_FILE: undefined };
  const none = await stack.run("preview", { env: unset });
  expect(none.ok).toBe(false);
  expect(none.errors.join("\n")).toContain(MISSING);

  const file = path.join(stack.dir, "passphrase.txt");
  fs.writeFileSync(file, `${TEST_PASSPHRASE}\n`);
  const fromFile = await stack.run("preview", {
    expectNoChanges: true,
    env: { ...PASSWORD, ...unset, PULUMI_CONFIG_PASSPHRASE_FILE: file },
  });
  expect(fromFile.errors).toEqual([]);
  expect(fromFile.outputs.password).toBe("hunter2-secret");
});

test("secure config reaches the program as secret config and the provider decrypted; only its value is masked", async () => {
  const project = fixture();
  const empty = { PULUMI_CONFIG_PASSPHRASE: "" };
  const configure = (token: unknown) =>
    project.configure(
      [{ name: "t", props: { size: 1 } }],
      { token: { secretConfig: "apiToken" } },
      {
        apiToken: token,
        echoConfig: ["apiToken", "region"],
      },
    );
  configure("placeholder");
  // Encrypting with the stack's secrets manager creates the salt (an empty passphrase is allowed, as in the CLI).
  const ciphertext = loadStackConfig(loadProject(project.dir), "dev", empty).secrets.encrypt("s3cr3t-token");
  configure({ secure: ciphertext });
  expect(fs.readFileSync(project.stackConfigFile, "utf8")).toMatch(/"encryptionsalt": "v1:/);

  const result = await project.run("up", { env: empty });
  expect(result.errors).toEqual([]);
  expect(result.outputs.token).toBe("s3cr3t-token");
  expect(result.secretOutputs).toEqual(["token"]);
  // The program printed the value it read, the provider the value its configure() got: both are the plaintext,
  // which the engine replaces by [secret] (pkg/engine/events.go `logging.AddGlobalSecretFilter`).
  expect(printedLines(project, "program")).toEqual(
    expect.arrayContaining(["config apiToken = [secret]", "config region = fr-par"]),
  );
  expect(printedLines(project, "provider")).toContain("fake cloud configured with token [secret]");
  expect(JSON.stringify(project.events)).not.toContain("s3cr3t-token");
  expect(fs.readFileSync(project.stateFile, "utf8")).not.toContain("s3cr3t-token");
  expect(project.state().providerConfig?.["fixture:apiToken"]).toEqual(ENCRYPTED);

  const wrong = await project.run("preview", { env: { PULUMI_CONFIG_PASSPHRASE: TEST_PASSPHRASE } });
  expect(wrong.errors.join("\n")).toMatch(/"apiToken".*cannot be decrypted: incorrect passphrase/);
});
