// `npm run demo`: the whole product on one machine with no cloud account — the emulator, the quickstart program
// through the local engine, a drift check after an out-of-band change, and a clean destroy.
import { rmSync } from "node:fs";
import * as path from "node:path";
import { startEmulator } from "../emulator";
import { DEFAULT_PROJECT_ID, DEFAULT_SECRET_KEY } from "../emulator/cli";
import { type EngineCommand, runEngine } from "../engine";
import { formatEvent, formatSummary } from "../engine/summary";
import { RdbApi } from "../sdk";

const ROOT = path.resolve(__dirname, "..", "..");
const PROGRAM = path.join(ROOT, "examples", "quickstart");

function banner(text: string): void {
  process.stdout.write(`\n\x1b[1m━━ ${text}\x1b[0m\n`);
}

async function engine(command: EngineCommand, env: Record<string, string>, expectNoChanges = false) {
  const shown = `pulumi ${command}${expectNoChanges ? " --expect-no-changes" : ""}`;
  banner(`$ ${shown}`);
  const result = await runEngine({
    command,
    cwd: PROGRAM,
    stack: "dev",
    env,
    expectNoChanges,
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
  rmSync(path.join(PROGRAM, ".pulumi-dbaas"), { recursive: true, force: true });
  const emulator = await startEmulator({ profile: "fast" });
  const env = {
    SCW_API_URL: emulator.url,
    SCW_SECRET_KEY: DEFAULT_SECRET_KEY,
    SCW_DEFAULT_PROJECT_ID: DEFAULT_PROJECT_ID,
    SCW_DEFAULT_REGION: "fr-par",
  };
  banner(`emulator listening on ${emulator.url} (the same API paths as https://api.scaleway.com)`);
  try {
    const up = await engine("up", env);
    check(
      up.ok && up.counts.create === 4,
      "up created the stack, an instance, its backup schedule and an exported backup",
    );

    const preview = await engine("preview", env, true);
    check(preview.ok && !preview.changes, "preview --expect-no-changes passes right after up");

    banner("Someone changes the instance by hand: a new tag and max_connections = 150");
    const api = new RdbApi({ apiUrl: emulator.url, secretKey: DEFAULT_SECRET_KEY });
    const [instance] = await api.listAllInstances({ region: "fr-par", tags: ["quickstart"] });
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

    const refresh = await engine("refresh", env, true);
    check(!refresh.ok && refresh.changes, "refresh --expect-no-changes finds the drift and fails");

    const drifted = await engine("preview", env);
    check(drifted.counts.update === 1, "preview shows the update that puts the instance back");

    const fix = await engine("up", env);
    check(fix.ok && fix.counts.update === 1, "up corrected the drift in place (same id)");

    const clean = await engine("preview", env, true);
    check(clean.ok && !clean.changes, "preview --expect-no-changes passes again");

    const destroy = await engine("destroy", env);
    const left = await api.listAllInstances({ region: "fr-par" });
    check(destroy.ok && left.length === 0, "destroy removed everything: no instance left in the emulator");
  } finally {
    await emulator.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
