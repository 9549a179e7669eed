// The command-line face of the engine on a TypeScript program: text summary, --json document, exit codes.
import { runEngineCli } from "../../engine/cli";
import { FixtureProject, TEST_PASSPHRASE } from "./helpers";

// `up` runs the TypeScript program twice, each through ts-node.
jest.setTimeout(120_000);

let project: FixtureProject;
const savedEnv = { ...process.env };

beforeAll(() => {
  project = FixtureProject.create("typescript");
  process.env.FAKE_CLOUD = project.cloudFile;
  process.env.FAKE_CLOUD_IMPL = `${__dirname}/fixtures/fake-cloud.js`;
  process.env.PULUMI_CONFIG_PASSPHRASE = TEST_PASSPHRASE;
});

afterAll(() => {
  process.env = savedEnv;
  project.cleanup();
});

async function cli(argv: string[]): Promise<{ code: number; stdout: string }> {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    const code = await runEngineCli(argv);
    return { code, stdout: chunks.join("") };
  } finally {
    spy.mockRestore();
    stderr.mockRestore();
  }
}

test("runs a TypeScript program and prints a Pulumi-like summary, then JSON", async () => {
  const started = Date.now();
  const up = await cli(["up", "--cwd", project.dir]);
  const upMs = Date.now() - started;
  expect(up.code).toBe(0);
  // `pulumi up` previews, then updates (pkg/backend/apply.go `PreviewThenPromptThenExecute`): both phases print.
  expect(up.stdout).toMatch(/^Previewing update \(dev\):\n[\s\S]*\nUpdating \(dev\):\n/);
  const [previewed, updated] = up.stdout.split("Updating (dev):");
  expect(previewed).toContain("+  create  pulumi-nodejs:dynamic/fixture:Note hello");
  expect(updated).toContain("+  create  pulumi-nodejs:dynamic/fixture:Note hello");
  expect(up.stdout).toContain('noteArn: "arn:fake:obj-1"');
  expect(up.stdout).toContain("Resources: 2 created");
  // The program runs twice (preview, then update), each time through ts-node.
  expect(upMs).toBeLessThan(45000);

  // --refresh reads the Note back first (its provider has no read: the host returns the stored state) in memory.
  const preview = await cli(["preview", "--cwd", project.dir, "--refresh", "--expect-no-changes", "--json"]);
  expect(preview.code).toBe(0);
  const document = JSON.parse(preview.stdout) as { ok: boolean; counts: { same: number }; command: string };
  expect(document).toMatchObject({ ok: true, command: "preview", counts: { same: 2 } });
});

test("usage errors and failures give non-zero exit codes", async () => {
  expect((await cli(["launch"])).code).toBe(2);
  expect((await cli(["--help"])).stdout).toContain("not a replacement");
  const missing = await cli(["up", "--cwd", `${project.dir}/nowhere`]);
  expect(missing.code).toBe(1);
  expect(missing.stdout).toContain("no Pulumi.yaml");
});
