// Resource options: protect (on delete, on replace, on delete-before-replace dependents), retainOnDelete,
// ignoreChanges, dependsOn with parallel registrations, parent components, and the options the engine refuses.
import { callsOf, type FixtureProject, opsOf, type ResourceSpec, useDeclarativeFixtures } from "./helpers";

// Each engine run starts the program and the provider host (2–4 s; `up` runs the program twice). A program whose
// registration fails can take another 45–90 s: Node 20.20's util.inspect (colors on) loops on the source-mapped
// frame ".../node_modules/@pulumi/resource.ts" until RangeError, in @pulumi/pulumi's `defaultErrorMessage`.
jest.setTimeout(300_000);

const fixture = useDeclarativeFixtures();

let protectedProject: FixtureProject;

test("protect refuses delete, replace and delete-before-replace of a dependent; retainOnDelete forgets without deleting; ignoreChanges keeps old values", async () => {
  const project = fixture();
  protectedProject = project;
  const base = (zone: string): ResourceSpec[] => [
    { name: "base", props: { zone }, options: { deleteBeforeReplace: true } },
    { name: "guard", props: { zone: { ref: "base", output: "zone" } }, options: { protect: true } },
  ];
  const p = (props: Record<string, unknown>, protect = true): ResourceSpec => ({
    name: "p",
    props: { size: 1, ...props },
    options: { protect },
  });
  const i = (size: number): ResourceSpec => ({
    name: "i",
    props: { size },
    options: { ignoreChanges: ["size"] },
  });
  project.configure([
    p({}),
    { name: "r", props: { size: 1 }, options: { retainOnDelete: true } },
    i(1),
    ...base("z1"),
  ]);
  // Setting up, the preview `up` runs first is skipped (--skip-preview) to keep the suite fast.
  expect((await project.run("up", { skipPreview: true })).errors).toEqual([]);
  project.takeLog();

  // step.go `DeleteStep.Apply` refuses a protected delete before its dry-run branch: the preview `up` runs first
  // fails, so nothing is applied, not even r's removal.
  project.configure([i(2), ...base("z1")]);
  const refused = await project.run("up");
  expect(refused.ok).toBe(false);
  expect(refused.errors.join("\n")).toMatch(
    /pulumi-nodejs:dynamic\/fixture:Thing::p" cannot be deleted\nbecause it is protected/,
  );
  expect(project.takeLog()).toEqual([]);
  expect(project.resource("r")).toBeDefined();

  project.configure([p({}), i(2), ...base("z1")]);
  const removal = await project.run("up");
  expect(removal.errors).toEqual([]);
  expect(opsOf(removal)).toMatchObject({ p: "same", i: "same", r: "delete" });
  expect(project.takeLog()).toEqual([]);
  expect(project.resource("r")).toBeUndefined();
  expect(Object.keys(project.cloud().objects)).toHaveLength(5);
  expect(project.resource("i")?.inputs.size).toBe(1);

  // step_generator.go `continueStepsFromDiff`: old and new both protected refuse the replacement; a protected
  // dependent that a delete-before-replace would have to replace refuses too ("as part of replacing").
  project.configure([p({ zone: "elsewhere" }), i(2), ...base("z2")]);
  const replace = await project.run("up");
  const errors = replace.errors.join("\n");
  expect(errors).toMatch(/unable to replace resource .*::p"\nas it is currently marked for protection/);
  expect(errors).toMatch(
    /unable to replace resource .*::guard" as part of replacing .*::base" as it is currently marked for protection/,
  );
  expect(project.takeLog()).toEqual([]);
});

test("protect: unprotecting in the same run allows the replacement, and the old object is deleted", async () => {
  // step_generator.go `continueStepsFromDiff` refuses only when old and new are both protected; the replaced
  // object's delete is a DeleteStep with `replacing` set, which step.go `DeleteStep.Apply` does not refuse.
  const project = protectedProject;
  project.configure([
    { name: "p", props: { size: 1, zone: "elsewhere" }, options: { protect: false } },
    { name: "i", props: { size: 2 }, options: { ignoreChanges: ["size"] } },
    { name: "base", props: { zone: "z1" }, options: { deleteBeforeReplace: true } },
    { name: "guard", props: { zone: { ref: "base", output: "zone" } }, options: { protect: true } },
  ]);
  const unprotected = await project.run("up");
  expect(unprotected.errors).toEqual([]);
  expect(opsOf(unprotected)).toMatchObject({ p: "replace", base: "same", guard: "same" });
  expect(callsOf(project.takeLog())).toEqual(["create p", "delete p"]);
  expect(project.resource("p")?.protect).toBeUndefined();
  expect(project.state().resources.some((resource) => resource.pendingDelete)).toBe(false);
});

test("dependsOn orders registrations that otherwise run in parallel; children of components get a typed URN", async () => {
  const project = fixture();
  project.configure([
    { name: "slow", props: { delayMs: 600 } },
    { name: "after", props: {}, dependsOn: ["slow"] },
    { name: "free", props: {} },
    { name: "group", component: true },
    { name: "child", props: {}, parent: "group" },
  ]);
  // The order is the update's: the preview `up` runs first is skipped (--skip-preview) to keep the suite fast.
  const result = await project.run("up", { skipPreview: true });
  expect(result.errors).toEqual([]);
  const order = project.takeLog().map((entry) => entry.name);
  expect(order.indexOf("free")).toBeLessThan(order.indexOf("slow"));
  expect(order.indexOf("slow")).toBeLessThan(order.indexOf("after"));
  const child = project.state().resources.find((resource) => resource.urn.endsWith("::child"));
  expect(child?.urn).toBe(
    "urn:pulumi:dev::fixture::fixture:index:Group$pulumi-nodejs:dynamic/fixture:Thing::child",
  );
  expect(child?.parent).toBe("urn:pulumi:dev::fixture::fixture:index:Group::group");
  expect(project.state().resources.find((resource) => resource.urn.endsWith("::group"))?.custom).toBe(false);

  project.configure([{ name: "free", props: {} }]);
  const removal = await project.run("up", { skipPreview: true });
  expect(removal.errors).toEqual([]);
  const deletions = project.takeLog().map((entry) => entry.name);
  expect(deletions.indexOf("after")).toBeLessThan(deletions.indexOf("slow"));
  expect(opsOf(removal)).toMatchObject({ group: "delete", child: "delete" });
});

test("a provider's first calls run together, as the real engine sends them once Configure has answered", async () => {
  const project = fixture();
  const slow = { delayMs: 500, logStart: true };
  project.configure([
    { name: "a", props: slow },
    { name: "b", props: slow },
    { name: "c", props: slow },
  ]);
  expect((await project.run("up", { skipPreview: true })).errors).toEqual([]);
  project.takeLog();
  // A new engine run starts a new provider host: its first call for the provider is a delete.
  const result = await project.run("destroy");
  expect(result.errors).toEqual([]);
  const ops = project.takeLog().map((entry) => entry.op);
  expect(ops).toEqual(["delete started", "delete started", "delete started", "delete", "delete", "delete"]);
});

test("options the engine does not implement are refused, naming the option and the resource", async () => {
  const project = fixture();
  project.configure([{ name: "timed", props: {}, options: { customTimeouts: { create: "5m" } } }]);
  const timeouts = await project.run("up");
  expect(timeouts.ok).toBe(false);
  expect(timeouts.errors.join("\n")).toMatch(/"timed".*customTimeouts/);

  project.configure([{ name: "adopted", props: {}, options: { import: "obj-42" } }]);
  const imported = await project.run("up");
  expect(imported.errors.join("\n")).toMatch(/"adopted".*import .*__provider/);
  expect(project.takeLog()).toEqual([]);
});
