// Writes the program-side resource modules and the README's input tables from the resource declarations
// (`npm run generate`); tests/provider/generated.test.ts fails when what is checked in is stale.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { InputDeclaration, ResourceDeclaration } from "../provider/impl/declaration";
import { aclDeclaration } from "../provider/impl/scaleway/acl.declaration";
import { backupDeclaration } from "../provider/impl/scaleway/backup.declaration";
import { databaseDeclaration } from "../provider/impl/scaleway/database.declaration";
import { instanceDeclaration } from "../provider/impl/scaleway/instance.declaration";
import { privilegeDeclaration } from "../provider/impl/scaleway/privilege.declaration";
import { readReplicaDeclaration } from "../provider/impl/scaleway/read-replica.declaration";
import { restoreDeclaration } from "../provider/impl/scaleway/restore.declaration";
import { scheduleDeclaration } from "../provider/impl/scaleway/schedule.declaration";
import { snapshotDeclaration } from "../provider/impl/scaleway/snapshot.declaration";
import { userDeclaration } from "../provider/impl/scaleway/user.declaration";
import { backupDeclaration as scalingoBackupDeclaration } from "../provider/impl/scalingo/backup.declaration";
import { scheduleDeclaration as scalingoScheduleDeclaration } from "../provider/impl/scalingo/schedule.declaration";
import { backupExportDeclaration } from "../provider/impl/serverless/backup-export.declaration";

/** The package root: `npm run generate` and jest both run there. */
const ROOT = process.cwd();
const LINE_WIDTH = 110;

/** Each declaration, the module it lives in, and the program-side module generated from it. */
export const GENERATED_RESOURCES: Array<{
  declaration: ResourceDeclaration;
  source: string;
  module: string;
}> = [
  {
    declaration: instanceDeclaration,
    source: "provider/impl/scaleway/instance.declaration.ts",
    module: "provider/scaleway/database-instance.ts",
  },
  {
    declaration: backupDeclaration,
    source: "provider/impl/scaleway/backup.declaration.ts",
    module: "provider/scaleway/database-backup.ts",
  },
  {
    declaration: scheduleDeclaration,
    source: "provider/impl/scaleway/schedule.declaration.ts",
    module: "provider/scaleway/backup-schedule.ts",
  },
  {
    declaration: restoreDeclaration,
    source: "provider/impl/scaleway/restore.declaration.ts",
    module: "provider/scaleway/backup-restore.ts",
  },
  {
    declaration: aclDeclaration,
    source: "provider/impl/scaleway/acl.declaration.ts",
    module: "provider/scaleway/acl.ts",
  },
  {
    declaration: readReplicaDeclaration,
    source: "provider/impl/scaleway/read-replica.declaration.ts",
    module: "provider/scaleway/read-replica.ts",
  },
  {
    declaration: snapshotDeclaration,
    source: "provider/impl/scaleway/snapshot.declaration.ts",
    module: "provider/scaleway/snapshot.ts",
  },
  {
    declaration: databaseDeclaration,
    source: "provider/impl/scaleway/database.declaration.ts",
    module: "provider/scaleway/database.ts",
  },
  {
    declaration: userDeclaration,
    source: "provider/impl/scaleway/user.declaration.ts",
    module: "provider/scaleway/user.ts",
  },
  {
    declaration: privilegeDeclaration,
    source: "provider/impl/scaleway/privilege.declaration.ts",
    module: "provider/scaleway/privilege.ts",
  },
  {
    declaration: scalingoBackupDeclaration,
    source: "provider/impl/scalingo/backup.declaration.ts",
    module: "provider/scalingo/database-backup.ts",
  },
  {
    declaration: scalingoScheduleDeclaration,
    source: "provider/impl/scalingo/schedule.declaration.ts",
    module: "provider/scalingo/backup-schedule.ts",
  },
  {
    declaration: backupExportDeclaration,
    source: "provider/impl/serverless/backup-export.declaration.ts",
    module: "provider/serverless/backup-export.ts",
  },
];

/** Words wrapped into lines that fit the line width behind `prefix`. */
function wrap(text: string, prefix: string): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && `${prefix}${line} ${word}`.length > LINE_WIDTH) {
      lines.push(line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  return [...lines, line];
}

/** `/** text *\/` at `indent`, on one line when it fits, else wrapped at the line width; blank lines part paragraphs. */
function jsdoc(text: string, indent: string): string {
  const oneLine = `${indent}/** ${text} */`;
  if (oneLine.length <= LINE_WIDTH && !text.includes("\n")) return oneLine;
  const paragraphs = text.split("\n\n").map((paragraph) => wrap(paragraph, `${indent} * `));
  const lines = paragraphs.flatMap((paragraph, i) => (i === 0 ? paragraph : ["", ...paragraph]));
  return [
    `${indent}/**`,
    ...lines.map((l) => (l === "" ? `${indent} *` : `${indent} * ${l}`)),
    `${indent} */`,
  ].join("\n");
}

function isRequired(input: InputDeclaration): boolean {
  return !input.schema.safeParse(undefined).success;
}

/** The first sentence of an input's doc, which documents the output that echoes it. */
function firstSentence(text: string): string {
  return text.split(/(?<=\.)\s+(?=[A-Z])/)[0];
}

function classNameOf(declaration: ResourceDeclaration): string {
  return declaration.kind.split(":")[1];
}

function argsInterface(declaration: ResourceDeclaration): string {
  const members = Object.entries(declaration.inputs).map(
    ([key, input]) =>
      `${jsdoc(input.doc, "  ")}\n  ${key}${isRequired(input) ? "" : "?"}: pulumi.Input<${input.type}>;`,
  );
  return `export interface ${classNameOf(declaration)}Args {\n${members.join("\n")}\n}`;
}

interface ClassOutput {
  key: string;
  doc: string;
  type: string;
  secret: boolean;
  /** A required input: the program always passes it, so it needs no place among the declared outputs. */
  alwaysPassed: boolean;
}

function classOutputs(declaration: ResourceDeclaration): ClassOutput[] {
  const echoed = Object.entries(declaration.inputs).flatMap(([key, input]) =>
    input.output === undefined
      ? []
      : [
          {
            key,
            doc: `${input.secret ? "Secret: " : ""}${firstSentence(input.doc)}`,
            type: input.output,
            secret: input.secret === true,
            alwaysPassed: isRequired(input),
          },
        ],
  );
  const own = Object.entries(declaration.outputs).map(([key, output]) => ({
    key,
    doc: output.doc,
    type: output.type,
    secret: output.secret === true,
    alwaysPassed: false,
  }));
  return [...echoed, ...own];
}

function resourceClass(declaration: ResourceDeclaration): string {
  const name = classNameOf(declaration);
  const outputs = classOutputs(declaration);
  const secretInputs = Object.keys(declaration.inputs).filter((key) => declaration.inputs[key].secret);
  const shape = [
    "outputs: OUTPUTS",
    ...(outputs.some((o) => o.secret)
      ? [`secretOutputs: ${JSON.stringify(outputs.filter((o) => o.secret).map((o) => o.key))}`]
      : []),
    ...(secretInputs.length > 0 ? [`secretInputs: ${JSON.stringify(secretInputs)}`] : []),
    ...(declaration.renewsDownloadUrl ? ["renewsDownloadUrl: true"] : []),
  ];
  const members = outputs.map(
    (output) =>
      `${jsdoc(output.doc, "  ")}\n  declare readonly ${output.key}: pulumi.Output<${output.type}>;`,
  );
  return [
    `const OUTPUTS = ${JSON.stringify(outputs.filter((o) => !o.alwaysPassed).map((o) => o.key))} as const;`,
    "",
    ...(declaration.doc ? [jsdoc(declaration.doc, "")] : []),
    `export class ${name} extends pulumi.dynamic.Resource {`,
    members.join("\n"),
    "",
    `  constructor(name: string, args: ${name}Args, opts?: pulumi.CustomResourceOptions) {`,
    `    super(...dynamicResourceArgs(${JSON.stringify(declaration.kind)}, name, args, { ${shape.join(", ")} }, opts));`,
    "  }",
    "}",
  ].join("\n");
}

/** Biome's formatting of `source` as the file at `file`, so that generated modules pass `npm run lint`. */
function formatted(file: string, source: string): string {
  const biome = path.join(ROOT, "node_modules", ".bin", "biome");
  return execFileSync(biome, ["format", `--stdin-file-path=${file}`], {
    cwd: ROOT,
    input: source,
    encoding: "utf8",
  });
}

/** The program-side module of one resource. */
export function renderModule(resource: (typeof GENERATED_RESOURCES)[number]): string {
  const { declaration, source, module } = resource;
  const [platform] = declaration.kind.split(":");
  const text = [
    `// Generated by \`npm run generate\` from ${source}: edit that instead.`,
    `// \`${platform}.${classNameOf(declaration)}\`: ${declaration.summary}`,
    'import * as pulumi from "@pulumi/pulumi";',
    'import { dynamicResourceArgs } from "../resource";',
    ...(declaration.types ? [`import type { ${declaration.types.join(", ")} } from "./types";`] : []),
    "",
    argsInterface(declaration),
    "",
    resourceClass(declaration),
    "",
  ].join("\n");
  return formatted(module, text);
}

function defaultText(input: InputDeclaration): string {
  const parsed = input.schema.safeParse(undefined);
  if (!parsed.success) return "required";
  if (parsed.data === undefined) return "—";
  return `\`${typeof parsed.data === "string" ? parsed.data : JSON.stringify(parsed.data)}\``;
}

function changeText(input: InputDeclaration): string {
  if (input.change === "update") return "update";
  if (input.change === "replace") return "**replace**";
  if (input.change === "never") return "never diffs";
  throw new Error("an input that replaces only sometimes needs its README change text");
}

/** The README table of one resource's inputs. */
export function renderTable(declaration: ResourceDeclaration): string {
  const rows = Object.entries(declaration.inputs).map(([key, input]) => {
    const cells = [
      input.readme?.input ?? `\`${key}\``,
      input.readme?.default ?? defaultText(input),
      input.readme?.change ?? changeText(input),
    ];
    return `| ${cells.join(" | ")} |`;
  });
  return ["| input | default | change |", "|---|---|---|", ...rows].join("\n");
}

/** `readme` with the text between each resource's table markers replaced by its generated table. */
export function renderReadme(readme: string): string {
  let text = readme;
  for (const { declaration } of GENERATED_RESOURCES) {
    const start = `<!-- generated: ${declaration.kind} inputs -->`;
    const end = "<!-- end of generated table -->";
    const from = text.indexOf(start);
    const to = text.indexOf(end, from);
    if (from < 0 || to < 0) throw new Error(`README.md has no "${start}" … "${end}" markers`);
    text = `${text.slice(0, from + start.length)}\n${renderTable(declaration)}\n${text.slice(to)}`;
  }
  return text;
}

if (require.main === module) {
  for (const resource of GENERATED_RESOURCES) {
    fs.writeFileSync(path.join(ROOT, resource.module), renderModule(resource));
  }
  const readme = path.join(ROOT, "README.md");
  fs.writeFileSync(readme, renderReadme(fs.readFileSync(readme, "utf8")));
}
