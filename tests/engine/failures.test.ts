// Failing runs: the preview `up` runs first stops it before any change, and objects that exist but fail to initialize
// (on create or update) are recorded with what the provider host sent, then refreshed, resumed or destroyed.
import * as fs from "node:fs";
import * as path from "node:path";
import { callsOf, opsOf, useDeclarativeFixtures } from "./helpers";

// Each engine run starts the program and the provider host (2–4 s; `up` runs the program twice). A program whose
// registration fails can take another 45–90 s: Node 20.20's util.inspect (colors on) loops on the source-mapped
// frame ".../node_modules/@pulumi/resource.ts" until RangeError, in @pulumi/pulumi's `defaultErrorMessage`.
jest.setTimeout(300_000);

const fixture = useDeclarativeFixtures();

test("up previews first: a check failure anywhere stops it before any create; skipPreview applies the rest", async () => {
  const project = fixture();
  project.configure([
    { name: "ok", props: {} },
    { name: "flaky", props: { failInit: true }, dependsOn: ["ok"] },
    { name: "bad", props: { invalid: 1 }, dependsOn: ["ok"] },
  ]);
  // pkg/backend/apply.go `PreviewThenPromptThenExecute`: a failed preview ends the run before the update.
  const stopped = await project.run("up");
  expect(stopped.ok).toBe(false);
  expect(stopped.errors.join("\n")).toMatch(/"bad".*invalid: must not be set/);
  expect(project.takeLog()).toEqual([]);
  expect(fs.existsSync(project.stateFile)).toBe(false);

  // --skip-preview: the others are created, flaky is recorded although it failed, bad fails alone.
  const failed = await project.run("up", { skipPreview: true });
  expect(failed.ok).toBe(false);
  expect(failed.previewSteps).toBeUndefined();
  expect(failed.errors.join("\n")).toMatch(/"flaky".*did not become ready/);
  expect(failed.errors.join("\n")).toMatch(/"bad".*invalid: must not be set/);
  const stateDir = path.join(project.dir, ".pulumi-dbaas/stacks");
  expect(fs.readdirSync(stateDir)).toEqual(["dev.json"]);
  const flaky = project.resource("flaky");
  expect(flaky).toMatchObject({ id: "obj-2", initErrors: ["health check failed"] });
  expect(flaky?.outputs.__provider).toEqual(expect.any(String));
  expect(project.resource("ok")).toBeDefined();
  expect(callsOf(project.takeLog()).sort()).toEqual(["create flaky", "create ok"]);

  // A resource with init errors is updated by the next run instead of being created again.
  project.configure([
    { name: "ok", props: {} },
    { name: "flaky", props: { failInit: true }, dependsOn: ["ok"] },
    { name: "bad", props: {}, dependsOn: ["ok"] },
  ]);
  const resumed = await project.run("up");
  expect(resumed.errors).toEqual([]);
  expect(opsOf(resumed, true)).toMatchObject({ ok: "same", flaky: "update", bad: "create" });
  expect(opsOf(resumed)).toMatchObject({ ok: "same", flaky: "update", bad: "create" });
  expect(callsOf(project.takeLog()).sort()).toEqual(["create bad", "update flaky"]);
  expect(project.resource("flaky")?.initErrors).toBeUndefined();

  // An update that ends in an init error keeps the old inputs with the new outputs (pkg/engine/update.go
  // `OnResourceStepPost`, partial failure of an update), so the next run retries it.
  project.configure([
    { name: "ok", props: {} },
    { name: "flaky", props: { failInit: true, failInitOnUpdate: true, size: 2 }, dependsOn: ["ok"] },
    { name: "bad", props: {}, dependsOn: ["ok"] },
  ]);
  const partial = await project.run("up");
  expect(partial.errors.join("\n")).toMatch(/"flaky".*did not become ready/);
  expect(callsOf(project.takeLog())).toEqual(["update flaky"]);
  const updated = project.resource("flaky");
  expect(updated?.initErrors).toEqual(["health check failed"]);
  expect(updated?.inputs).not.toHaveProperty("size");
  expect(updated?.inputs).not.toHaveProperty("failInitOnUpdate");
  expect(updated?.outputs).toMatchObject({ size: 2, failInitOnUpdate: true });
});

/** The dynamic-provider host's error for a resource whose stored properties lack `__provider` (require-from-string). */
const HOST_ERROR = (verb: string, name: string): RegExp =>
  new RegExp(
    `^${verb} urn:pulumi:dev::fixture::pulumi-nodejs:dynamic/fixture:Thing::${name}: code must be a string, not undefined$`,
  );

test("init-failure properties are stored as the host sent them: without __provider, refresh and destroy fail", async () => {
  const project = fixture();
  project.configure([
    { name: "stuck", props: { failInit: true } },
    { name: "bare", props: { failInitWithoutProvider: true } },
  ]);
  const up = await project.run("up");
  expect(up.errors).toHaveLength(2);
  expect(project.resource("stuck")?.outputs.__provider).toEqual(expect.any(String));
  // cmd/dynamic-provider `grpcResponseFromError` passes the error's properties through untouched.
  expect(Object.keys(project.resource("bare")?.outputs ?? {}).sort()).toEqual([
    "arn",
    "failInitWithoutProvider",
    "name",
    "region",
    "version",
  ]);
  expect(project.resource("bare")?.initErrors).toEqual(["health check failed"]);
  project.takeLog();

  // step.go `RefreshStep.Apply` clears init errors; the host cannot load bare's provider without __provider.
  const refresh = await project.run("refresh");
  expect(opsOf(refresh)).toMatchObject({ stuck: "same" });
  expect(project.resource("stuck")?.initErrors).toBeUndefined();
  expect(refresh.errors).toHaveLength(1);
  expect(refresh.errors[0]).toMatch(HOST_ERROR("refreshing", "bare"));
  expect(project.resource("bare")?.initErrors).toEqual(["health check failed"]);

  // The stack resource, bare's parent, stays with it.
  const destroy = await project.run("destroy");
  expect(destroy.errors[0]).toMatch(HOST_ERROR("deleting", "bare"));
  expect(destroy.errors.slice(1)).toEqual([
    "urn:pulumi:dev::fixture::pulumi:pulumi:Stack::fixture-dev was not deleted: a resource depending on it could not be deleted",
  ]);
  expect(callsOf(project.takeLog())).toEqual(["delete stuck"]);
  expect(project.state().resources.map((resource) => resource.urn.split("::").pop())).toContain("bare");
  expect(project.resource("stuck")).toBeUndefined();
});
