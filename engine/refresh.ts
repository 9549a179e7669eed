// `refresh`: asks each provider to Read its resources back, drops those gone out of band, and reports which ones
// differ from state; `destroy`: deletes everything recorded, without running the program.
import { errorMessage, type RunContext } from "./context";
import { deleteResources } from "./deletes";
import { applySecrets, changedKeys, deepEqual, PROVIDER_KEY, splitSecrets } from "./properties";
import type { ResourceState } from "./state";

async function refreshOne(context: RunContext, resource: ResourceState): Promise<void> {
  const { state } = context;
  const outputs = splitSecrets(resource.outputs);
  const inputs = splitSecrets(resource.inputs);
  outputs.plain[PROVIDER_KEY] ??= inputs.plain[PROVIDER_KEY] ?? null;
  const host = await context.host();
  const read = await host.read(resource.urn, resource.id ?? "", outputs.plain, inputs.plain);
  if (!read.id) {
    state.remove(resource);
    context.step("delete", resource.urn, resource.type, true);
    return;
  }
  const outputSecrets = new Set([
    ...outputs.secretKeys,
    ...inputs.secretKeys,
    ...(resource.additionalSecretOutputs ?? []),
  ]);
  const next: ResourceState = {
    ...resource,
    id: read.id,
    outputs: applySecrets(read.outputs, outputSecrets),
    inputs: read.inputs ? applySecrets(read.inputs, inputs.secretKeys) : resource.inputs,
  };
  context.redactor.learn(next.outputs);
  context.redactor.learn(next.inputs);
  state.put(next);
  const changed = read.id !== resource.id || !deepEqual(read.outputs, outputs.plain);
  const keys = read.inputs
    ? changedKeys(inputs.plain, read.inputs)
    : changedKeys(outputs.plain, read.outputs);
  context.step(changed ? "update" : "same", resource.urn, resource.type, true, keys);
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
