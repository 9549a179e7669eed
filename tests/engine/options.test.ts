// Resource options and failure handling: protect, retainOnDelete, ignoreChanges, dependsOn with parallel
// registrations, parent components, secrets, refused options, and a failing create recorded in state then resumed.
import * as fs from "node:fs";
import * as path from "node:path";
import { formatSummary, jsonDocument } from "../../engine";
import { FixtureProject, opsOf } from "./helpers";

const projects: FixtureProject[] = [];
function fixture(): FixtureProject {
  const project = FixtureProject.create("declarative");
  projects.push(project);
  return project;
}

afterAll(() => {
  for (const project of projects) project.cleanup();
});

test("protect refuses delete and replace; retainOnDelete forgets without deleting; ignoreChanges keeps old values", async () => {
  const project = fixture();
  project.configure([
    { name: "p", props: { size: 1 }, options: { protect: true } },
    { name: "r", props: { size: 1 }, options: { retainOnDelete: true } },
    { name: "i", props: { size: 1 }, options: { ignoreChanges: ["size"] } },
  ]);
  expect((await project.run("up")).errors).toEqual([]);
  project.takeLog();

  project.configure([{ name: "i", props: { size: 2 }, options: { ignoreChanges: ["size"] } }]);
  const removal = await project.run("up");
  expect(removal.ok).toBe(false);
  expect(removal.errors.join("\n")).toMatch(
    /pulumi-nodejs:dynamic\/fixture:Thing::p" cannot be deleted\nbecause it is protected/,
  );
  expect(opsOf(removal)).toMatchObject({ i: "same", r: "delete" });
  expect(project.takeLog()).toEqual([]);
  const urns = project.state().resources.map((resource) => resource.urn.split("::").pop());
  expect(urns).toEqual(expect.arrayContaining(["p", "i"]));
  expect(urns).not.toContain("r");
  expect(Object.keys(project.cloud().objects)).toHaveLength(3);
  expect(project.state().resources.find((resource) => resource.urn.endsWith("::i"))?.inputs.size).toBe(1);

  project.configure([{ name: "p", props: { size: 1, zone: "elsewhere" }, options: { protect: true } }]);
  const replace = await project.run("up");
  expect(replace.errors.join("\n")).toMatch(
    /unable to replace resource .*::p"\nas it is currently marked for protection/,
  );
  expect(project.takeLog()).toEqual([]);
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
  const result = await project.run("up");
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
  const removal = await project.run("up");
  expect(removal.errors).toEqual([]);
  const deletions = project.takeLog().map((entry) => entry.name);
  expect(deletions.indexOf("after")).toBeLessThan(deletions.indexOf("slow"));
  expect(opsOf(removal)).toMatchObject({ group: "delete", child: "delete" });
});

test("secrets stay secret in state, outputs and printed text", async () => {
  const project = fixture();
  project.configure(
    [
      {
        name: "s",
        props: { password: { secret: "hunter2-secret" } },
        options: { additionalSecretOutputs: ["arn"] },
      },
    ],
    { password: { ref: "s", output: "password" }, arn: { ref: "s" }, plain: { ref: "s", output: "region" } },
  );
  const result = await project.run("up");
  expect(result.errors).toEqual([]);
  expect(result.outputs.password).toBe("hunter2-secret");
  expect(result.secretOutputs.sort()).toEqual(["arn", "password"]);
  const stored = project.state().resources.find((resource) => resource.urn.endsWith("::s"))!;
  expect(stored.inputs.password).toEqual({
    "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
    value: "hunter2-secret",
  });
  expect(stored.outputs.arn).toMatchObject({ value: "arn:fake:obj-1" });
  expect(stored.outputs.region).toBe("fr-par");
  const printed = `${formatSummary(result)}${jsonDocument(result)}${JSON.stringify(project.events)}`;
  expect(printed).toContain("password: [secret]");
  expect(printed).toContain('plain: "fr-par"');
  expect(printed).not.toContain("hunter2-secret");
  expect(printed).not.toContain("arn:fake:obj-1");
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

test("a create that fails after the object exists is recorded, and the re-run updates it instead of duplicating", async () => {
  const project = fixture();
  project.configure([
    { name: "ok", props: {} },
    { name: "flaky", props: { failInit: true }, dependsOn: ["ok"] },
    { name: "bad", props: { invalid: 1 }, dependsOn: ["ok"] },
  ]);
  const failed = await project.run("up");
  expect(failed.ok).toBe(false);
  expect(failed.errors.join("\n")).toMatch(/"flaky".*did not become ready/);
  expect(failed.errors.join("\n")).toMatch(/"bad".*invalid: must not be set/);
  const stateDir = path.join(project.dir, ".pulumi-dbaas/stacks");
  expect(fs.readdirSync(stateDir)).toEqual(["dev.json"]);
  const flaky = project.state().resources.find((resource) => resource.urn.endsWith("::flaky"));
  expect(flaky).toMatchObject({ id: "obj-2", initErrors: ["health check failed"] });
  expect(flaky?.outputs.__provider).toEqual(expect.any(String));
  expect(project.state().resources.some((resource) => resource.urn.endsWith("::ok"))).toBe(true);
  project.takeLog();

  project.configure([
    { name: "ok", props: {} },
    { name: "flaky", props: { failInit: true }, dependsOn: ["ok"] },
    { name: "bad", props: {}, dependsOn: ["ok"] },
  ]);
  const resumed = await project.run("up");
  expect(resumed.errors).toEqual([]);
  expect(opsOf(resumed)).toMatchObject({ ok: "same", flaky: "update", bad: "create" });
  expect(
    project
      .takeLog()
      .map((entry) => `${entry.op} ${entry.name}`)
      .sort(),
  ).toEqual(["create bad", "update flaky"]);
  expect(
    project.state().resources.find((resource) => resource.urn.endsWith("::flaky"))?.initErrors,
  ).toBeUndefined();
});
