// Reads a Pulumi project (`Pulumi.yaml`) and its stack configuration (`Pulumi.<stack>.yaml`) the way the Pulumi CLI
// and its Node.js language host interpret them: program folder, entry point, TypeScript switch, namespaced config.
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { PassphraseSecretsManager } from "./secrets";

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
  .object({ config: z.record(z.string(), z.unknown()).nullish(), encryptionsalt: z.string().optional() })
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

/** The stack configuration, decrypted: `namespace:key` → string, and which keys were `secure:` in the file. */
export interface StackConfig {
  values: Record<string, string>;
  secretKeys: string[];
}

/**
 * Reads `Pulumi.<stack>.yaml` as the CLI does: keys without a namespace belong to the project; objects, numbers and
 * booleans become JSON text (the form both `PULUMI_CONFIG` and the provider's `configure` use); `secure:` values are
 * decrypted with the stack's passphrase secrets manager, whose salt is the file's `encryptionsalt`.
 */
export function loadStackConfig(
  project: PulumiProject,
  stack: string,
  env: Record<string, string | undefined>,
): { config: StackConfig; secrets: PassphraseSecretsManager } {
  const file = path.join(project.rootDirectory, `Pulumi.${stack}.yaml`);
  const parsed = fs.existsSync(file) ? stackSchema.safeParse(parseYamlFile(file)) : undefined;
  if (parsed && !parsed.success) throw new Error(`invalid ${file}: ${describeIssues(parsed.error)}`);
  const secrets = new PassphraseSecretsManager({
    stackConfigFile: file,
    configSalt: parsed?.data?.encryptionsalt,
    env,
  });
  const config: StackConfig = { values: {}, secretKeys: [] };
  for (const [key, value] of Object.entries(parsed?.data?.config ?? {})) {
    const name = key.includes(":") ? key : `${project.name}:${key}`;
    if (typeof value === "object" && value !== null && "secure" in value) {
      const ciphertext = (value as { secure: unknown }).secure;
      if (typeof ciphertext !== "string")
        throw new Error(`config "${key}" in ${file}: "secure" must be a string`);
      if (parsed?.data?.encryptionsalt === undefined) {
        throw new Error(
          `config "${key}" in ${file} is encrypted, but the file has no encryptionsalt to decrypt it`,
        );
      }
      try {
        config.values[name] = secrets.decrypt(ciphertext);
      } catch (error) {
        throw new Error(`config "${key}" in ${file} cannot be decrypted: ${(error as Error).message}`);
      }
      config.secretKeys.push(name);
    } else config.values[name] = configText(value);
  }
  return { config, secrets };
}
