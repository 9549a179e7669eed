// Reads a Pulumi project (`Pulumi.yaml`) and its stack configuration (`Pulumi.<stack>.yaml`) the way the Pulumi CLI
// and its Node.js language host interpret them: program folder, entry point, TypeScript switch, namespaced config.
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";

// js-yaml is the parser @pulumi/pulumi itself reads these files with; it ships no types, hence the typed require.
const jsYaml: { load(text: string): unknown } = require("js-yaml");

const runtimeSchema = z.union([
  z.string(),
  z.object({
    name: z.string(),
    options: z.object({ typescript: z.boolean().optional() }).loose().optional(),
  }),
]);

const projectSchema = z
  .object({
    name: z.string().min(1),
    runtime: runtimeSchema,
    main: z.string().optional(),
    description: z.string().optional(),
  })
  .loose();

const stackSchema = z
  .object({ config: z.record(z.string(), z.unknown()).nullish() })
  .loose()
  .nullish();

export interface PulumiProject {
  name: string;
  /** The folder holding `Pulumi.yaml`. */
  rootDirectory: string;
  /** Where the program runs (`--pwd`, and the provider host's cwd). */
  programDirectory: string;
  /** What `cmd/run` loads: `.` (package entry point) or a file name inside `programDirectory`. */
  entryPoint: string;
  typescript: boolean;
}

function parseYamlFile(file: string): unknown {
  try {
    return jsYaml.load(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ");
}

export function loadProject(cwd: string): PulumiProject {
  const rootDirectory = path.resolve(cwd);
  const file = path.join(rootDirectory, "Pulumi.yaml");
  if (!fs.existsSync(file)) throw new Error(`no Pulumi.yaml in ${rootDirectory}`);
  const parsed = projectSchema.safeParse(parseYamlFile(file));
  if (!parsed.success) throw new Error(`invalid ${file}: ${describeIssues(parsed.error)}`);
  const { name, runtime, main } = parsed.data;
  const runtimeName = typeof runtime === "string" ? runtime : runtime.name;
  if (runtimeName !== "nodejs")
    throw new Error(`runtime "${runtimeName}" is not supported: only nodejs programs`);
  const typescript = typeof runtime === "string" ? true : (runtime.options?.typescript ?? true);

  let programDirectory = rootDirectory;
  let entryPoint = ".";
  if (main !== undefined) {
    const target = path.resolve(rootDirectory, main);
    if (!fs.existsSync(target)) throw new Error(`main "${main}" of ${file} does not exist`);
    if (fs.statSync(target).isDirectory()) programDirectory = target;
    else {
      programDirectory = path.dirname(target);
      entryPoint = path.basename(target);
    }
  }
  return { name, rootDirectory, programDirectory, entryPoint, typescript };
}

function configText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Stack configuration as `namespace:key` → string (objects, numbers and booleans as JSON), the form both
 * `PULUMI_CONFIG` and the provider's `configure` use. Keys without a namespace belong to the project.
 */
export function loadStackConfig(project: PulumiProject, stack: string): Record<string, string> {
  const file = path.join(project.rootDirectory, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) return {};
  const parsed = stackSchema.safeParse(parseYamlFile(file));
  if (!parsed.success) throw new Error(`invalid ${file}: ${describeIssues(parsed.error)}`);
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed.data?.config ?? {})) {
    if (typeof value === "object" && value !== null && "secure" in value) {
      throw new Error(
        `config "${key}" in ${file} is encrypted ("secure:"): this stand-in engine has no secrets provider; ` +
          "give the value in plain text or through the environment",
      );
    }
    config[key.includes(":") ? key : `${project.name}:${key}`] = configText(value);
  }
  return config;
}
