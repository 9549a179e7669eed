// Refresh as the real engine does it (drift judged by the provider's Diff), `preview --refresh` / `up --refresh`,
// and which stack configuration the provider gets: the current one for up/preview, the stored one for refresh/destroy.
import * as fs from "node:fs";
import type { Phase } from "../../engine/context";
import { FixtureProject, opsOf, type ResourceSpec } from "./helpers";

// Each engine run starts the program and the provider host (2–4 s; `up` runs the program twice).
jest.setTimeout(120_000);

let project: FixtureProject;

beforeAll(() => {
  project = FixtureProject.create("declarative");
});

afterAll(() => project.cleanup());

/** f and g answer Diff with neither true nor false ("unknown"), so the engine compares their inputs itself. */
const resources = (a: number, g: number, h: number, withE = true): ResourceSpec[] => [
  { name: "a", props: { size: a } },
  ...(withE ? [{ name: "e", props: { size: 5 } }] : []),
  { name: "f", props: { size: 1, diffUnknown: true } },
  { name: "g", props: { size: g, diffUnknown: true } },
  { name: "h", props: { size: h } },
];

/** The steps reported during the given phase of the last run (since `project.events` was emptied). */
function stepsOf(phase: Phase): Record<string, string> {
  const steps: Record<string, string> = {};
  let current: Phase | undefined;
  for (const event of project.events) {
    if (event.kind === "phase") current = event.phase;
    else if (event.kind === "step" && current === phase) steps[event.step.name] = event.step.op;
  }
  return steps;
}

function drift(
  change: (objects: Record<string, Record<string, unknown>>, id: (name: string) => string) => void,
) {
  const cloud = project.cloud();
  change(cloud.objects, (name) => project.objectId(name));
  project.saveCloud(cloud);
}

test("refresh: the provider's Diff of refreshed state against stored inputs decides; output-only drift is no change", async () => {
  project.configure(resources(2, 1, 1));
  expect((await project.run("up")).errors).toEqual([]);
  project.takeLog();
  drift((objects, id) => {
    objects[id("a")]!.size = 99; // an input changed out of band: the provider's Diff says "some"
    objects[id("f")]!.version = 9; // outputs only, Diff "unknown": the engine's input comparison finds none
    objects[id("g")]!.size = 8; // an input, Diff "unknown": the engine's input comparison finds it
    objects[id("h")]!.version = 9; // outputs only: the provider's Diff says "none"
    delete objects[id("e")]; // vanished: Read returns an empty id
  });

  // step.go `RefreshStep.Apply`: Read, then `diffResource(new inputs/outputs as olds, old inputs as news)`.
  const refresh = await project.run("refresh", { expectNoChanges: true });
  expect(opsOf(refresh)).toEqual({ a: "update", e: "delete", f: "same", g: "update", h: "same" });
  // --expect-no-changes counts only update and delete steps.
  expect(refresh.errors).toHaveLength(1);
  expect(refresh.errors[0]).toMatch(/^no changes were expected, but found: /);
  expect(refresh.errors[0]!.match(/(update|delete|same) [a-z]\b/g)?.sort()).toEqual([
    "delete e",
    "update a",
    "update g",
  ]);
  // Read's inputs replace the stored ones; outputs are refreshed even where the step is `same`.
  expect(project.resource("a")?.inputs.size).toBe(99);
  expect(project.resource("g")?.inputs.size).toBe(8);
  expect(project.resource("h")?.outputs.version).toBe(9);
  expect(project.resource("f")?.outputs.version).toBe(9);
  expect(project.resource("e")).toBeUndefined();
  expect((await project.run("refresh", { expectNoChanges: true })).errors).toEqual([]);
});

test("preview --refresh refreshes in memory and previews against that; only the preview's steps count", async () => {
  const before = fs.readFileSync(project.stateFile, "utf8");
  drift((objects, id) => {
    objects[id("a")]!.size = 7;
  });
  // The program now asks for what the cloud holds, not what the state says (99): only a refresh makes it `same`.
  project.configure(resources(7, 8, 1, false));
  project.takeLog();
  project.events.length = 0;
  // deployment_executor.go: the refresh runs before the program, on the preview's (unsaved) snapshot; its
  // `update` of a is not a change of the preview.
  const preview = await project.run("preview", { refresh: true, expectNoChanges: true });
  expect(preview.errors).toEqual([]);
  expect(stepsOf("refresh")).toMatchObject({ a: "update", f: "same", g: "same", h: "same" });
  expect(opsOf(preview)).toEqual({ "fixture-dev": "same", a: "same", f: "same", g: "same", h: "same" });
  expect(fs.readFileSync(project.stateFile, "utf8")).toBe(before);
  expect(project.takeLog(true).map((entry) => entry.op)).toEqual(["read", "read", "read", "read"]);

  // `up --refresh` saves the refresh, then finds nothing to do.
  const up = await project.run("up", { refresh: true, expectNoChanges: true });
  expect(up.errors).toEqual([]);
  expect(new Set(Object.values(opsOf(up, true)))).toEqual(new Set(["same"]));
  expect(new Set(Object.values(opsOf(up)))).toEqual(new Set(["same"]));
  expect(project.resource("a")?.inputs.size).toBe(7);
  expect(new Set(project.takeLog(true).map((entry) => entry.op))).toEqual(new Set(["read"]));
});

test("provider configuration: up uses the current stack config, refresh and destroy the one stored by the last up", async () => {
  // The stack's last `up` configured the provider with region fr-par.
  project.configure(resources(7, 8, 1, false), {}, { region: "r2" });
  project.takeLog();
  await project.run("refresh");
  // deployment.go loads the default provider from the checkpoint for a refresh: the stored config, not r2.
  expect(new Set(project.takeCalls())).toEqual(
    new Set(["read a @fr-par", "read f @fr-par", "read g @fr-par", "read h @fr-par"]),
  );

  project.configure(resources(7, 8, 2, false), {}, { region: "r3" });
  const up = await project.run("up");
  expect(up.errors).toEqual([]);
  expect(project.takeCalls()).toEqual(["update h @r3"]);
  expect(project.resource("h")?.outputs.region).toBe("r3");
  expect(project.state().providerConfig?.["fixture:region"]).toBe("r3");

  project.configure(resources(7, 8, 2, false), {}, { region: "r4" });
  const destroy = await project.run("destroy");
  expect(destroy.errors).toEqual([]);
  expect(opsOf(destroy)).toEqual({
    "fixture-dev": "delete",
    a: "delete",
    f: "delete",
    g: "delete",
    h: "delete",
  });
  expect(new Set(project.takeCalls())).toEqual(
    new Set(["delete a @r3", "delete f @r3", "delete g @r3", "delete h @r3"]),
  );
  expect(project.state().resources).toEqual([]);
  expect(project.cloud().objects).toEqual({});
});
