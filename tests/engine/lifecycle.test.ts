// The engine's core lifecycle on a real program and provider host: preview-then-update, create, same, update, both
// replacement orders with their dependents, deletes in reverse dependency order, checked through the fake cloud's log.
import * as fs from "node:fs";
import { callsOf, FixtureProject, opsOf, type ResourceSpec } from "./helpers";

// Each engine run starts the program and the provider host (2–4 s; `up` runs the program twice).
jest.setTimeout(120_000);

let project: FixtureProject;

beforeAll(() => {
  project = FixtureProject.create("declarative");
});

afterAll(() => project.cleanup());

const chain = (a: Record<string, unknown>, extra: ResourceSpec[] = []): ResourceSpec[] => [
  { name: "a", props: a },
  { name: "b", props: { peer: { ref: "a" } } },
  { name: "c", props: { size: 3 }, dependsOn: ["b"] },
  ...extra,
];

test("creates in dependency order, then finds nothing to change", async () => {
  project.configure(chain({ size: 1 }), { aArn: { ref: "a" } });
  const first = await project.run("up");
  expect(first.errors).toEqual([]);
  // `up` previews first (pkg/backend/apply.go `PreviewThenPromptThenExecute`), then applies the same steps.
  expect(opsOf(first, true)).toEqual({ "fixture-dev": "create", a: "create", b: "create", c: "create" });
  expect(opsOf(first)).toEqual({ "fixture-dev": "create", a: "create", b: "create", c: "create" });
  expect(first.counts.create).toBe(4);
  expect(callsOf(project.takeLog())).toEqual(["create a", "create b", "create c"]);
  expect(first.outputs.aArn).toBe("arn:fake:obj-1");
  const a = project.state().resources.find((resource) => resource.urn.endsWith("::a"));
  expect(a?.outputs.region).toBe("fr-par");

  const second = await project.run("up", { expectNoChanges: true });
  expect(second.ok).toBe(true);
  expect(new Set(Object.values(opsOf(second)))).toEqual(new Set(["same"]));
  expect(project.takeLog()).toEqual([]);
});

test("preview calls neither Create nor Update, leaves state alone and fails --expect-no-changes", async () => {
  const before = fs.readFileSync(`${project.dir}/.pulumi-dbaas/stacks/dev.json`, "utf8");
  project.configure(chain({ size: 2 }, [{ name: "d", props: { size: 1 } }]));
  const preview = await project.run("preview", { expectNoChanges: true });
  // As with the real engine, an updated resource's provider-computed outputs are unknown in preview.
  expect(opsOf(preview)).toMatchObject({ a: "update", b: "update", c: "same", d: "create" });
  expect(preview.ok).toBe(false);
  expect(preview.errors.join("\n")).toMatch(/no changes were expected/);
  expect(project.takeLog()).toEqual([]);
  expect(fs.readFileSync(`${project.dir}/.pulumi-dbaas/stacks/dev.json`, "utf8")).toBe(before);
});

test("updates in place, then replaces create-before-delete with the old object deleted last", async () => {
  project.configure(chain({ size: 2 }));
  const update = await project.run("up");
  expect(opsOf(update)).toMatchObject({ a: "update", b: "same", c: "same" });
  expect(project.takeLog()).toEqual([{ op: "update", name: "a", id: "obj-1" }]);
  expect(project.cloud().objects["obj-1"]?.version).toBe(2);

  // z takes a's zone (the property the fake cloud replaces on), d only depends on a: both are new here.
  const dependents: ResourceSpec[] = [
    { name: "z", props: { zone: { ref: "a", output: "zone" } } },
    { name: "d", props: { size: 1 }, dependsOn: ["a"] },
  ];
  project.configure(chain({ size: 2, zone: "z2" }, dependents));
  const replace = await project.run("up");
  expect(replace.errors).toEqual([]);
  expect(opsOf(replace)).toMatchObject({ a: "replace", b: "update", c: "same", z: "create", d: "create" });
  const calls = callsOf(project.takeLog());
  expect(calls[0]).toBe("create a");
  expect(calls.slice(1, -1).sort()).toEqual(["create d", "create z", "update b"]);
  expect(calls.at(-1)).toBe("delete a");
  expect(project.state().resources.some((resource) => resource.pendingDelete)).toBe(false);
});

test("deleteBeforeReplace replaces only the dependents whose own diff replaces once their inputs from it are unknown", async () => {
  // step_generator.go `calculateDependentReplacements`: z's zone comes from a, so with it unknown the fake cloud
  // replaces z; b's peer (a's arn) only updates it; d depends on a through dependsOn alone, c on b: both stay.
  project.configure(
    chain({ size: 2, zone: "z3" }, [
      { name: "z", props: { zone: { ref: "a", output: "zone" } } },
      { name: "d", props: { size: 1 }, dependsOn: ["a"] },
    ]).map((spec) => (spec.name === "a" ? { ...spec, options: { deleteBeforeReplace: true } } : spec)),
  );
  const result = await project.run("up");
  expect(result.errors).toEqual([]);
  expect(opsOf(result, true)).toMatchObject({
    a: "replace",
    z: "replace",
    b: "update",
    c: "same",
    d: "same",
  });
  expect(opsOf(result)).toMatchObject({ a: "replace", z: "replace", b: "update", c: "same", d: "same" });
  const calls = callsOf(project.takeLog());
  expect(calls.slice(0, 3)).toEqual(["delete z", "delete a", "create a"]);
  expect(calls.slice(3).sort()).toEqual(["create z", "update b"]);
  expect(project.resource("z")?.inputs.zone).toBe("z3");
});

test("removed resources are deleted in reverse dependency order; a provider can ask for deleteBeforeReplace", async () => {
  project.configure([{ name: "a", props: { size: 2, zone: "z3" } }]);
  const removal = await project.run("up");
  expect(removal.errors).toEqual([]);
  expect(opsOf(removal)).toMatchObject({ a: "same", b: "delete", c: "delete", z: "delete", d: "delete" });
  const deletions = callsOf(project.takeLog());
  expect([...deletions].sort()).toEqual(["delete b", "delete c", "delete d", "delete z"]);
  expect(deletions.indexOf("delete c")).toBeLessThan(deletions.indexOf("delete b"));

  project.configure([{ name: "a", props: { size: 2, zone: "z4", providerWantsDeleteFirst: true } }]);
  const replace = await project.run("up");
  expect(replace.errors).toEqual([]);
  expect(opsOf(replace)).toMatchObject({ a: "replace" });
  expect(callsOf(project.takeLog())).toEqual(["delete a", "create a"]);
  expect(Object.keys(project.cloud().objects)).toHaveLength(1);
});
