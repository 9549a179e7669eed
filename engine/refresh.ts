// `refresh`: reads each resource back and decides whether it drifted the way the real engine does, through the
// provider's own Diff; `destroy`: deletes everything recorded, without running the program.
import { errorMessage, type RunContext } from "./context";
import { deleteResources } from "./deletes";
import {
  annotateSecrets,
  applyIgnoreChanges,
  applySecrets,
  changedKeys,
  deepEqual,
  type PropertyMap,
  splitSecrets,
} from "./properties";
import type { ResourceState } from "./state";

/**
 * One refresh step, as pkg/resource/deploy/step.go `RefreshStep.Apply`: Read with the stored inputs and outputs (no
 * `__provider` added: a resource whose outputs lack it fails here as it does under the real host); an empty id
 * drops the resource; returned inputs replace the stored ones; init errors are cleared. Whether it changed is the
 * provider's Diff of the refreshed inputs/outputs (as olds) against the inputs stored before (as news), inverted:
 * output-only differences are no change. A provider answering "unknown" gets the engine's own comparison of the
 * two sets of inputs (step_generator.go `diffResource`).
 */
async function refreshOne(context: RunContext, resource: ResourceState): Promise<void> {
  const { state } = context;
  const oldOutputs = splitSecrets(resource.outputs).plain;
  const oldInputs = splitSecrets(resource.inputs).plain;
  const host = await context.host();
  const read = await host.read(resource.urn, resource.id ?? "", oldOutputs, oldInputs);
  if (!read.id) {
    state.remove(resource);
    context.step("delete", resource.urn, resource.type, true);
    return;
  }
  // provider_plugin.go `Read`: secrecy carries over key by key from the stored values; step_executor.go then
  // re-applies additionalSecretOutputs to the new outputs.
  const inputs = read.inputs ? annotateSecrets(read.inputs, resource.inputs) : resource.inputs;
  const outputs = applySecrets(
    annotateSecrets(read.outputs, resource.outputs),
    resource.additionalSecretOutputs ?? [],
  );
  const next: ResourceState = { ...resource, id: read.id, inputs, outputs };
  delete next.initErrors;
  state.put(next);

  const refreshedInputs = splitSecrets(inputs).plain;
  const diff = await host.diff(resource.urn, read.id, read.outputs, oldInputs, refreshedInputs);
  const changed =
    diff.changes === "some" ||
    (diff.changes === "unknown" &&
      !deepEqual(
        refreshedInputs,
        applyIgnoreChanges(oldInputs, refreshedInputs, resource.ignoreChanges ?? []),
      ));
  context.step(
    changed ? "update" : "same",
    resource.urn,
    resource.type,
    true,
    changed ? driftedKeys(oldInputs, refreshedInputs, oldOutputs, read.outputs) : undefined,
  );
}

/** What the summary names for a drifted resource: the inputs that moved, else the outputs that did. */
function driftedKeys(
  oldInputs: PropertyMap,
  newInputs: PropertyMap,
  oldOutputs: PropertyMap,
  newOutputs: PropertyMap,
): string[] {
  const inputs = changedKeys(oldInputs, newInputs);
  return inputs.length > 0 ? inputs : changedKeys(oldOutputs, newOutputs);
}

export async function refresh(context: RunContext): Promise<void> {
  const resources = context.state.all().filter((resource) => resource.custom && !resource.pendingDelete);
  await Promise.all(
    resources.map((resource) =>
      refreshOne(context, resource).catch((error: unknown) =>
        context.fail(`refreshing ${resource.urn}: ${errorMessage(error)}`),
      ),
    ),
  );
}

export async function destroy(context: RunContext): Promise<void> {
  if (await deleteResources(context, context.state.all())) context.state.setOutputs({});
}
