// `npm run demo`: the whole product on one machine with no cloud account — the emulator, the quickstart program
// through the local engine, a restore drill on real PostgreSQL (scripts/demo-restore.ts), the nightly drift check (quiet after download URLs expire, loud after an out-of-band
// change), the repair, and a clean destroy.
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../emulator";
import { DEFAULT_PROJECT_ID, DEFAULT_SECRET_KEY } from "../emulator/cli";
import { type EngineCommand, runEngine } from "../engine";
import { formatEvent, formatSummary } from "../engine/summary";
import { RdbApi } from "../sdk";
import { restoreDrill } from "./demo-restore";

const ROOT = path.resolve(__dirname, "..", "..");
/** Download URLs live a day on the real API; the demo makes them expire within its own run. */
const URL_TTL_SECONDS = 4;

function banner(text: string): void {
  process.stdout.write(`\n\x1b[1m━━ ${text}\x1b[0m\n`);
}

/** A scratch copy of the quickstart, so the stack config and state the run writes never land in the repository. */
function quickstartCopy(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "dbaas-demo-"));
  cpSync(path.join(ROOT, "examples", "quickstart"), dir, { recursive: true });
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ name: "quickstart", private: true })}\n`);
  return dir;
}

interface Flags {
  expectNoChanges?: boolean;
  refresh?: boolean;
}

async function engine(
  program: string,
  command: EngineCommand,
  env: Record<string, string>,
  flags: Flags = {},
) {
  const shown = `pulumi ${command}${flags.refresh ? " --refresh" : ""}${flags.expectNoChanges ? " --expect-no-changes" : ""}`;
  banner(`$ ${shown}`);
  const result = await runEngine({
    command,
    cwd: program,
    stack: "dev",
    env,
    ...flags,
    onEvent: (event) => {
      const line = formatEvent(event, "dev");
      if (line !== undefined) process.stdout.write(`${line}\n`);
    },
  });
  process.stdout.write(`\n${formatSummary(result)}`);
  return result;
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`demo failed: ${message}`);
  process.stdout.write(`\x1b[32m✔ ${message}\x1b[0m\n`);
}

async function main(): Promise<void> {
  const program = quickstartCopy();
  const emulator = await startEmulator({ profile: "fast", downloadUrlTtlSeconds: URL_TTL_SECONDS });
  const env = {
    SCW_API_URL: emulator.url,
    SCW_SECRET_KEY: DEFAULT_SECRET_KEY,
    SCW_DEFAULT_PROJECT_ID: DEFAULT_PROJECT_ID,
    SCW_DEFAULT_REGION: "fr-par",
    // The Pulumi CLI's local backend encrypts state secrets with this passphrase; empty is allowed.
    PULUMI_CONFIG_PASSPHRASE: "",
  };
  banner(`emulator listening on ${emulator.url} (the same API paths as https://api.scaleway.com)`);
  try {
    const up = await engine(program, "up", env);
    check(
      up.ok && up.counts.create === 4,
      "up previewed, then created the stack, an instance, its backup schedule and an exported backup",
    );

    const preview = await engine(program, "preview", env, { expectNoChanges: true });
    check(preview.ok && !preview.changes, "preview --expect-no-changes passes right after up");

    banner("Restore drill: rows in, backup out, restored into a fresh instance, rows back");
    const api = new RdbApi({ apiUrl: emulator.url, secretKey: DEFAULT_SECRET_KEY });
    const [instance] = await api.listAllInstances({ region: "fr-par", tags: ["quickstart"] });
    const drillEngine = (dir: string, command: EngineCommand) => engine(dir, command, env);
    await restoreDrill(
      ROOT,
      `fr-par/${instance.id}`,
      String(up.outputs.connectionString),
      drillEngine,
      check,
    );

    banner(
      `Time passes: the backup's download URL expires (after ${URL_TTL_SECONDS} s here, a day for real)`,
    );
    await new Promise((resolve) => setTimeout(resolve, (URL_TTL_SECONDS + 1) * 1000));
    const quiet = await engine(program, "preview", env, { refresh: true, expectNoChanges: true });
    check(quiet.ok, "the nightly drift job passes: an expired URL is not drift");
    const quietRefresh = await engine(program, "refresh", env, { expectNoChanges: true });
    check(quietRefresh.ok, "refresh --expect-no-changes passes too");

    banner("Someone changes the instance by hand: a new tag and max_connections = 150");
    await api.updateInstance({
      region: "fr-par",
      instanceId: instance.id,
      tags: [...instance.tags, "edited-by-hand"],
    });
    await api.addInstanceSettings({
      region: "fr-par",
      instanceId: instance.id,
      settings: [{ name: "max_connections", value: "150" }],
    });
    await api.waitForInstance({ region: "fr-par", instanceId: instance.id });

    const loud = await engine(program, "preview", env, { refresh: true, expectNoChanges: true });
    check(!loud.ok && loud.counts.update === 1, "the nightly drift job fails, naming the instance");

    const refresh = await engine(program, "refresh", env, { expectNoChanges: true });
    check(!refresh.ok && refresh.changes, "refresh --expect-no-changes finds the drift and fails");

    const fix = await engine(program, "up", env);
    check(
      fix.ok && fix.steps.some((step) => step.op === "update" && step.name === "quickstart"),
      "up put the instance back in place (same id) and renewed the expired download URL",
    );

    const clean = await engine(program, "preview", env, { refresh: true, expectNoChanges: true });
    check(clean.ok && !clean.changes, "preview --refresh --expect-no-changes passes again");

    const destroy = await engine(program, "destroy", env);
    const left = await api.listAllInstances({ region: "fr-par" });
    check(destroy.ok && left.length === 0, "destroy removed everything: no instance left in the emulator");
  } finally {
    await emulator.stop();
    rmSync(program, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
