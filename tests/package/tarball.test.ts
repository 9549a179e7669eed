// The package as users get it: `npm pack`, installed from the tarball into a fresh TypeScript Pulumi program outside
// the repository, typechecked, then run with the installed `pulumi-dbaas engine` (up, preview, destroy) on the emulator.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { DEFAULT_PROJECT_ID, DEFAULT_SECRET_KEY } from "../../emulator/cli";
import { RdbApi } from "../../sdk";

const REPO = path.resolve(__dirname, "../..");

interface Manifest {
  name: string;
  version: string;
  main: string;
  types: string;
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

/** One entry of `npm pack --json`. */
interface Packed {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: Array<{ path: string; size: number }>;
}

interface Ran {
  code: number | null;
  /** stdout then stderr, for failure messages. */
  output: string;
  stdout: string;
  ms: number;
}

/** The whole file's budget: every command's timeout is cut to what is left of it. */
const BUDGET_MS = 6 * 60_000;
let deadline = Date.now() + BUDGET_MS;

const manifest = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as Manifest;

/** Paths in the tarball that only belong to the repository. */
const FORBIDDEN =
  /(^|\/)(tests?|__tests__|examples|node_modules|coverage|\.pulumi-dbaas)(\/|$)|\.test\.|\.tgz$|^(tsconfig[^/]*|jest\.config\.js|biome\.json|package-lock\.json)$/;

// The program as a user writes it (cf. examples/quickstart/index.ts), plus a type from the `pulumi-dbaas/sdk` subpath
// export and a lookup, so that the exports map is exercised by the type checker and by the program run.
const PROGRAM = `// A user's Pulumi program: an instance, its backup schedule and an exported backup.
import * as pulumi from "@pulumi/pulumi";
import { scaleway } from "pulumi-dbaas";
import type { Instance } from "pulumi-dbaas/sdk";

const database = new scaleway.DatabaseInstance("packaged", {
  engine: "PostgreSQL-16",
  nodeType: "DB-DEV-S",
  tags: ["packaged"],
  settings: { max_connections: "200" },
});

new scaleway.BackupSchedule("packaged-schedule", {
  instanceId: database.id,
  frequencyHours: 12,
  retentionDays: 14,
});

const backup = new scaleway.DatabaseBackup("packaged-backup", { instanceId: database.id, exported: true });

export const instanceId: pulumi.Output<string> = database.id;
export const endpoint = database.endpoint;
export const connectionString = database.connectionString;
export const backupUrl = backup.downloadUrl;
export const liveStatus = database.id.apply(
  async (id): Promise<Instance["status"]> => (await scaleway.getInstance({ id })).status,
);
`;

// `pulumi new typescript`'s tsconfig (CommonJS, "node" module resolution, no skipLibCheck, so the published .d.ts
// files are checked too), plus esModuleInterop: zod 4's declarations, reached through ours, need it.
const TSCONFIG = {
  compilerOptions: {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    esModuleInterop: true,
    sourceMap: true,
    experimentalDecorators: true,
    pretty: false,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
  },
  files: ["index.ts"],
};

const PULUMI_YAML = `name: dbaas-packaged
description: The published pulumi-dbaas package, installed from its tarball.
runtime:
  name: nodejs
  options:
    typescript: true
main: index.ts
`;

function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, path.resolve(child));
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

/**
 * The environment of every child: no npm run-script variables (npm_config_local_prefix would point npm at the
 * repository), no inherited Scaleway/Scalingo/Pulumi settings, and a PATH led by the Node running the tests with no
 * entry inside the repository (so nothing resolves through its node_modules/.bin).
 */
function childEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith("npm_") || key === "INIT_CWD" || key === "NODE_PATH") continue;
    if (/^(SCW|SCALINGO|PULUMI)_/.test(key)) continue;
    env[key] = value;
  }
  const rest = (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter((entry) => entry !== "" && !isInside(REPO, entry));
  env.PATH = [path.dirname(process.execPath), ...rest].join(path.delimiter);
  return { ...env, ...extra };
}

/** Runs a command to completion; its whole process group is killed after `timeoutMs` or at the deadline. */
function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<Ran> {
  const started = Date.now();
  const timeoutMs = Math.max(1_000, Math.min(options.timeoutMs, deadline - started));
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        // The group already exited.
      }
    }, timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      const note = timedOut ? `\n[killed after ${timeoutMs} ms]` : "";
      resolve({
        code: timedOut ? null : code,
        output: `$ ${command} ${args.join(" ")}\n${stdout}${stderr}${note}`,
        stdout,
        ms: Date.now() - started,
      });
    });
  });
}

/** Fails with the command's whole output unless it exited 0. */
function expectSuccess(ran: Ran): void {
  if (ran.code !== 0) throw new Error(`exit code ${ran.code}:\n${ran.output}`);
}

/** The files the manifest points at (main, types, bin, every exports target), as tarball paths. */
function manifestTargets(): string[] {
  const targets = [manifest.main, manifest.types, ...Object.values(manifest.bin)];
  for (const target of Object.values(manifest.exports)) {
    targets.push(...(typeof target === "string" ? [target] : Object.values(target)));
  }
  return [...new Set(targets.map((target) => path.posix.normalize(target)))];
}

/** Whether a file under dist/ was built from a source that still exists (no stale output from a removed file). */
function hasSource(packedPath: string): boolean {
  const relative = packedPath.slice("dist/".length);
  if (relative.endsWith(".json")) return fs.existsSync(path.join(REPO, relative));
  const base = relative.replace(/(\.d\.ts|\.js\.map|\.js)$/, "");
  return base !== relative && fs.existsSync(path.join(REPO, `${base}.ts`));
}

const timings: Record<string, number> = {};
let root = "";
let project = "";
let packed: Packed;
let installOutput = "";

beforeAll(async () => {
  deadline = Date.now() + BUDGET_MS;
  // `npm test` builds first (pretest); packing with --ignore-scripts ships that build instead of running `prepare`,
  // which would rewrite dist/ under the suites running in parallel.
  if (!fs.existsSync(path.join(REPO, "dist", "index.js")))
    throw new Error("dist/ is missing: run `npm run build`");
  root = fs.mkdtempSync(path.join(os.tmpdir(), "dbaas-package-"));
  if (isInside(REPO, root)) throw new Error(`${root} is inside the repository: set TMPDIR elsewhere`);
  const packDirectory = path.join(root, "pack");
  project = path.join(root, "program");
  fs.mkdirSync(packDirectory);
  fs.mkdirSync(project);

  const pack = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", packDirectory], {
    cwd: REPO,
    env: childEnvironment(),
    timeoutMs: 60_000,
  });
  expectSuccess(pack);
  timings.packMs = pack.ms;
  packed = (JSON.parse(pack.stdout) as Packed[])[0];
  const tarball = path.join(packDirectory, packed.filename);

  const exact = /^\d+\.\d+\.\d+$/;
  const versions = {
    "@pulumi/pulumi": manifest.dependencies["@pulumi/pulumi"],
    typescript: manifest.devDependencies.typescript,
    "@types/node": manifest.devDependencies["@types/node"],
  };
  for (const [name, version] of Object.entries(versions)) {
    if (!exact.test(version)) throw new Error(`the repository pins ${name} loosely (${version})`);
  }
  const projectManifest = {
    name: "dbaas-packaged",
    version: "0.0.0",
    private: true,
    main: "index.ts",
    dependencies: { "@pulumi/pulumi": versions["@pulumi/pulumi"], [manifest.name]: `file:${tarball}` },
    devDependencies: { "@types/node": versions["@types/node"], typescript: versions.typescript },
  };
  fs.writeFileSync(path.join(project, "package.json"), `${JSON.stringify(projectManifest, null, 2)}\n`);
  fs.writeFileSync(path.join(project, "tsconfig.json"), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
  fs.writeFileSync(path.join(project, "Pulumi.yaml"), PULUMI_YAML);
  fs.writeFileSync(path.join(project, "index.ts"), PROGRAM);

  const install = await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], {
    cwd: project,
    env: childEnvironment(),
    timeoutMs: 150_000,
  });
  expectSuccess(install);
  timings.installMs = install.ms;
  installOutput = install.output;
}, 240_000);

afterAll(() => {
  if (root !== "") fs.rmSync(root, { recursive: true, force: true });
  if (packed) {
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
    // npm 11 blocks dependencies' install scripts; the runs below prove that none of them is needed.
    const blocked = installOutput
      .split("\n")
      .filter((line) => /install-scripts\s+\S+@\S+ \(/.test(line))
      .map((line) => line.replace(/^npm warn install-scripts\s+/, ""));
    console.log(
      [
        `tarball ${packed.filename}: ${kb(packed.size)} (${kb(packed.unpackedSize)} unpacked, ${packed.entryCount} files)`,
        ...Object.entries(timings).map(
          ([step, ms]) => `${step.replace(/Ms$/, "")}: ${(ms / 1000).toFixed(1)} s`,
        ),
        `install scripts npm did not run: ${blocked.length === 0 ? "none reported" : blocked.join("; ")}`,
      ].join("\n"),
    );
  }
});

test("the tarball holds the build, the bin and every file the manifest names, and nothing of the repository's own", () => {
  const paths = packed.files.map((file) => file.path);
  const required = ["package.json", "README.md", "LICENSE", "dist/cli/main.js", ...manifestTargets()];
  expect(required.filter((file) => !paths.includes(file))).toEqual([]);
  expect(paths).toEqual(expect.arrayContaining(["dist/index.js", "bin/pulumi-dbaas.js"]));
  expect(paths.filter((file) => file.startsWith("dist/provider/impl/")).length).toBeGreaterThan(0);
  expect(paths.filter((file) => FORBIDDEN.test(file))).toEqual([]);
  // Output of a source file that no longer exists would ship dead code (rebuild with `rm -rf dist && npm run build`).
  expect(paths.filter((file) => file.startsWith("dist/") && !hasSource(file))).toEqual([]);
  expect(paths.filter((file) => !/^(dist|bin)\//.test(file)).sort()).toEqual([
    "LICENSE",
    "README.md",
    "package.json",
  ]);
  expect(packed.size).toBeLessThan(1024 * 1024);
  expect(packed.unpackedSize).toBeLessThan(5 * 1024 * 1024);
});

test("the program resolves the installed package, one @pulumi/pulumi, its bin and every subpath export", async () => {
  const installed = path.join(project, "node_modules", manifest.name);
  const resolvedFrom = (request: string) => fs.realpathSync(require.resolve(request, { paths: [project] }));
  expect(resolvedFrom(`${manifest.name}/package.json`)).toBe(
    fs.realpathSync(path.join(installed, "package.json")),
  );
  expect(isInside(project, resolvedFrom("@pulumi/pulumi"))).toBe(true);
  // The engine (inside the package) and the program must share one copy of the Pulumi SDK runtime.
  expect(fs.existsSync(path.join(installed, "node_modules", "@pulumi", "pulumi"))).toBe(false);
  const installedManifest = JSON.parse(
    fs.readFileSync(path.join(installed, "package.json"), "utf8"),
  ) as Manifest;
  expect(installedManifest.version).toBe(manifest.version);
  const bin = path.join(project, "node_modules", ".bin", "pulumi-dbaas");
  expect(fs.readFileSync(bin, "utf8").split("\n")[0]).toBe("#!/usr/bin/env node");

  const requests = Object.keys(manifest.exports).map((key) => path.posix.join(manifest.name, key));
  const script = `for (const request of ${JSON.stringify(requests)}) console.log(request, typeof require(request));`;
  const loaded = await run(process.execPath, ["-e", script], {
    cwd: project,
    env: childEnvironment(),
    timeoutMs: 30_000,
  });
  expectSuccess(loaded);
  expect(loaded.stdout.trim().split("\n")).toEqual(requests.map((request) => `${request} object`));
}, 60_000);

test("the program typechecks against the published declarations (node and node16 module resolution)", async () => {
  const tsc = path.join(project, "node_modules", "typescript", "bin", "tsc");
  const options = { cwd: project, env: childEnvironment(), timeoutMs: 90_000 };
  const classic = await run(process.execPath, [tsc, "--noEmit", "-p", project], options);
  expectSuccess(classic);
  const node16 = await run(
    process.execPath,
    // The declarations themselves were checked above: this pass is about the exports map's "types" conditions.
    [tsc, "--noEmit", "-p", project, "--module", "node16", "--moduleResolution", "node16", "--skipLibCheck"],
    options,
  );
  expectSuccess(node16);
  timings.typecheckMs = classic.ms;
  timings.typecheckNode16Ms = node16.ms;
}, 200_000);

test("the installed `pulumi-dbaas engine` runs up, preview --expect-no-changes and destroy on the emulator", async () => {
  const emulator = await startEmulator({ profile: "instant", dataPlane: "simulated" });
  try {
    const env = childEnvironment({
      SCW_API_URL: emulator.url,
      SCW_SECRET_KEY: DEFAULT_SECRET_KEY,
      SCW_DEFAULT_PROJECT_ID: DEFAULT_PROJECT_ID,
      SCW_DEFAULT_REGION: "fr-par",
      PULUMI_CONFIG_PASSPHRASE: "package-test",
      PULUMI_DBAAS_STATE_DIR: path.join(root, "state"),
    });
    const bin = path.join(project, "node_modules", ".bin", "pulumi-dbaas");
    const engine = (...args: string[]) =>
      run(process.execPath, [bin, "engine", ...args, "--cwd", project], {
        cwd: project,
        env,
        timeoutMs: 90_000,
      });
    const api = new RdbApi({
      apiUrl: emulator.url,
      secretKey: DEFAULT_SECRET_KEY,
      defaultProjectId: DEFAULT_PROJECT_ID,
    });

    const up = await engine("up");
    expectSuccess(up);
    timings.upMs = up.ms;
    expect(up.stdout).toMatch(/^Resources: 4 created$/m);
    expect(up.stdout).toMatch(/^ {4}instanceId: "fr-par\/[0-9a-f-]{36}"$/m);
    expect(up.stdout).toMatch(/^ {4}liveStatus: "ready"$/m);
    expect(up.stdout).toMatch(/^ {4}connectionString: \[secret\]$/m);
    expect(up.stdout).toMatch(/^ {4}backupUrl: \[secret\]$/m);
    const instances = await api.listAllInstances({ region: "fr-par" });
    expect(instances.map((instance) => instance.tags.filter((tag) => tag === "packaged"))).toEqual([
      ["packaged"],
    ]);
    const backups = await api.listAllDatabaseBackups({ region: "fr-par", instanceId: instances[0].id });
    expect(backups.map((backup) => backup.downloadUrl !== null && backup.downloadUrl !== undefined)).toEqual([
      true,
    ]);

    const preview = await engine("preview", "--expect-no-changes");
    expectSuccess(preview);
    timings.previewMs = preview.ms;
    expect(preview.stdout).toMatch(/^Resources: 4 unchanged$/m);

    const destroy = await engine("destroy");
    expectSuccess(destroy);
    timings.destroyMs = destroy.ms;
    expect(destroy.stdout).toMatch(/^Resources: 4 deleted$/m);
    expect(await api.listAllInstances({ region: "fr-par" })).toEqual([]);
  } finally {
    await emulator.stop();
  }
}, 300_000);
