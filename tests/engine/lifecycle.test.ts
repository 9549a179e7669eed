// The engine's core lifecycle on a real program and provider host: create, same, update, both replacement orders,
// deletes in reverse dependency order, preview, refresh and destroy, checked through the fake cloud's call log.
import * as fs from "node:fs";
import { FixtureProject, opsOf, type ResourceSpec } from "./helpers";

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
  expect(opsOf(first)).toEqual({ "fixture-dev": "create", a: "create", b: "create", c: "create" });
  expect(first.counts.create).toBe(4);
  expect(project.takeLog().map((entry) => `${entry.op} ${entry.name}`)).toEqual([
    "create a",
    "create b",
    "create c",
  ]);
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

  project.configure(chain({ size: 2, zone: "z2" }));
  const replace = await project.run("up");
  expect(replace.errors).toEqual([]);
  expect(opsOf(replace)).toMatchObject({ a: "replace", b: "update", c: "same" });
  expect(project.takeLog()).toEqual([
    { op: "create", name: "a", id: "obj-4" },
    { op: "update", name: "b", id: "obj-2" },
    { op: "delete", name: "a", id: "obj-1" },
  ]);
  expect(project.state().resources.some((resource) => resource.pendingDelete)).toBe(false);
});

test("deleteBeforeReplace deletes dependents, then the resource, before recreating them", async () => {
  project.configure(
    chain({ size: 2, zone: "z3" }).map((spec) =>
      spec.name === "a" ? { ...spec, options: { deleteBeforeReplace: true } } : spec,
    ),
  );
  const result = await project.run("up");
  expect(result.errors).toEqual([]);
  expect(opsOf(result)).toMatchObject({ a: "replace", b: "replace", c: "replace" });
  expect(project.takeLog().map((entry) => `${entry.op} ${entry.name}`)).toEqual([
    "delete c",
    "delete b",
    "delete a",
    "create a",
    "create b",
    "create c",
  ]);
});

test("removed resources are deleted in reverse dependency order; a provider can ask for deleteBeforeReplace", async () => {
  project.configure([{ name: "a", props: { size: 2, zone: "z3" } }]);
  const removal = await project.run("up");
  expect(removal.errors).toEqual([]);
  expect(opsOf(removal)).toMatchObject({ a: "same", b: "delete", c: "delete" });
  expect(project.takeLog().map((entry) => `${entry.op} ${entry.name}`)).toEqual(["delete c", "delete b"]);

  project.configure([{ name: "a", props: { size: 2, zone: "z4", providerWantsDeleteFirst: true } }]);
  const replace = await project.run("up");
  expect(replace.errors).toEqual([]);
  expect(opsOf(replace)).toMatchObject({ a: "replace" });
  expect(project.takeLog().map((entry) => `${entry.op} ${entry.name}`)).toEqual(["delete a", "create a"]);
  expect(Object.keys(project.cloud().objects)).toHaveLength(1);
});

test("refresh takes out-of-band changes, drops what disappeared, then destroy removes everything", async () => {
  project.configure([
    { name: "a", props: { size: 2, zone: "z4" } },
    { name: "e", props: { size: 5 } },
  ]);
  await project.run("up");
  const cloud = project.cloud();
  const [aId, eId] = ["a", "e"].map((name) =>
    Object.keys(cloud.objects).find((id) => cloud.objects[id]?.name === name),
  );
  cloud.objects[aId!]!.size = 99;
  delete cloud.objects[eId!];
  fs.writeFileSync(project.cloudFile, JSON.stringify(cloud));

  const refresh = await project.run("refresh", { expectNoChanges: true });
  expect(opsOf(refresh)).toEqual({ a: "update", e: "delete" });
  expect(refresh.ok).toBe(false);
  const a = project.state().resources.find((resource) => resource.urn.endsWith("::a"));
  expect(a?.inputs.size).toBe(99);
  expect(project.state().resources.some((resource) => resource.urn.endsWith("::e"))).toBe(false);
  expect((await project.run("refresh", { expectNoChanges: true })).ok).toBe(true);

  project.takeLog();
  const destroy = await project.run("destroy");
  expect(destroy.errors).toEqual([]);
  expect(opsOf(destroy)).toEqual({ a: "delete", "fixture-dev": "delete" });
  expect(project.takeLog()).toEqual([{ op: "delete", name: "a", id: aId }]);
  expect(project.state().resources).toEqual([]);
});
