// The conventions every `pulumi-dbaas` command follows, through the installed command: --version, --help on every
// command and subcommand (usage on stdout, exit 0), and usage errors (the problem, the usage line, a pointer to
// --help, exit 2, nothing on stdout and no stack).
import * as fs from "node:fs";
import * as path from "node:path";
import { runBin } from "./helpers";

const COMMANDS = [
  [],
  ["emulator"],
  ["engine"],
  ...["up", "preview", "refresh", "destroy"].map((command) => ["engine", command]),
  ["instance"],
  ...[
    "list",
    "get",
    "restart",
    "apply-maintenance",
    "certificate",
    "renew-certificate",
    "logs list",
    "logs prepare",
    "logs download",
    "logs purge",
  ].map((subcommand) => ["instance", ...subcommand.split(" ")]),
  ["backup"],
  ...["list", "get", "create", "export", "restore", "download"].map((subcommand) => ["backup", subcommand]),
];

test("--version prints the version in package.json", async () => {
  const { version } = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../package.json"), "utf8"));
  const result = await runBin(["--version"], {});
  expect(result).toEqual({ status: 0, stdout: `${version}\n`, stderr: "" });
});

test.each(COMMANDS.map((words) => [["pulumi-dbaas", ...words].join(" "), words]))(
  "%s --help prints its usage and exits 0",
  async (name, words) => {
    const result = await runBin([...words, "--help"], {});
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/^usage:/);
    // A group lists its subcommands' usage lines; a command's own usage line comes first.
    expect(result.stdout).toContain(name);
  },
);

test.each([
  [["instance", "get", "--verbose"], "pulumi-dbaas instance get", 'unknown option "--verbose"'],
  [["backup", "list", "--instance"], "pulumi-dbaas backup list", "--instance needs a value"],
  [["backup", "download", "scaleway"], "pulumi-dbaas backup download", "expected <platform> <backup id>"],
  [["emulator", "--port"], "pulumi-dbaas emulator", "--port needs a value"],
  [["emulator", "--json"], "pulumi-dbaas emulator", 'unknown option "--json"'],
  [["engine", "launch"], "pulumi-dbaas engine", 'unknown subcommand "launch"'],
  [["engine", "up", "--stack"], "pulumi-dbaas engine", "--stack needs a value"],
  [["instance", "frobnicate"], "pulumi-dbaas instance", 'unknown subcommand "frobnicate"'],
  [["backup"], "pulumi-dbaas backup", "missing subcommand"],
  [["deploy"], "pulumi-dbaas", 'unknown command "deploy"'],
  [[], "pulumi-dbaas", "missing command"],
  [["--version", "now"], "pulumi-dbaas", "--version takes no arguments"],
])(
  "%j is a usage error: the problem, the usage line, a pointer to --help, exit 2",
  async (args, name, message) => {
    const result = await runBin(args, {});
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    const [problem, blank, usage, pointer, ...rest] = result.stderr.split("\n");
    expect(problem.slice(0, name.length + 2)).toBe(`${name}: `);
    expect(problem).toContain(message);
    expect(blank).toBe("");
    expect(usage).toMatch(/^usage: pulumi-dbaas/);
    expect(pointer).toBe(`Run \`${name} --help\` for more.`);
    expect(rest).toEqual([""]);
  },
);
