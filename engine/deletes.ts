// Deleting resources as the real engine does: in reverse dependency order, each antichain in parallel, with the
// provider code stored in state, refusing protected resources and only forgetting those retained on delete.
import { errorMessage, type RunContext } from "./context";
import { splitSecrets } from "./properties";
import type { ResourceState } from "./state";

function dependsOn(dependent: ResourceState, dependency: ResourceState): boolean {
  if (dependent === dependency) return false;
  const urn = dependency.urn;
  return (
    dependent.parent === urn ||
    dependent.dependencies.includes(urn) ||
    Object.values(dependent.propertyDependencies ?? {}).some((urns) => urns.includes(urn))
  );
}

/** Resources of `all` that depend on `root`, directly or not (the dependents a delete-before-replace must remove). */
export function dependentsOf(root: ResourceState, all: ResourceState[]): ResourceState[] {
  const found = new Set<ResourceState>();
  const queue = [root];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const candidate of all) {
      if (candidate !== root && !found.has(candidate) && dependsOn(candidate, current)) {
        found.add(candidate);
        queue.push(candidate);
      }
    }
  }
  return [...found];
}

export function protectedDeleteError(urn: string): Error {
  return new Error(
    `resource "${urn}" cannot be deleted\nbecause it is protected. To unprotect the resource, either remove the ` +
      "`protect` flag from the resource in your Pulumi program and run `pulumi up`, or use the command:\n" +
      `\`pulumi state unprotect ${urn}\``,
  );
}

async function deleteOne(context: RunContext, resource: ResourceState, replacing: boolean): Promise<void> {
  // step.go `DeleteStep.Apply` refuses `old.Protect` only outside a replacement: the step generator already refused
  // replacing a resource protected in old and new state, and a protected dependent of a delete-before-replace.
  if (resource.protect && !replacing && !resource.pendingDelete) throw protectedDeleteError(resource.urn);
  if (!context.dryRun) {
    if (resource.custom && !resource.retainOnDelete) {
      // step.go `DeleteStep.Apply`: the stored outputs as they are; the host finds the provider code in them.
      const outputs = splitSecrets(resource.outputs).plain;
      const inputs = splitSecrets(resource.inputs).plain;
      const host = await context.host();
      await host.delete(resource.urn, resource.id ?? "", outputs, inputs);
    }
    context.state.remove(resource);
  }
  // The replaced half of a replacement was already reported as part of the `replace` step.
  if (!replacing && !resource.pendingDelete)
    context.step("delete", resource.urn, resource.type, resource.custom);
}

/**
 * Deletes `condemned` dependents first. A failure is recorded and keeps what the failed resource depends on;
 * returns whether everything was deleted. `replacing`: the deletes of a delete-before-replace, reported by the
 * replacement's own step.
 */
export async function deleteResources(
  context: RunContext,
  condemned: ResourceState[],
  replacing = false,
): Promise<boolean> {
  const remaining = new Set(condemned);
  const kept = new Set<ResourceState>();
  for (;;) {
    const blockers = [...remaining, ...kept];
    const ready = [...remaining].filter((resource) => !blockers.some((other) => dependsOn(other, resource)));
    if (ready.length === 0) break;
    const results = await Promise.allSettled(
      ready.map((resource) => deleteOne(context, resource, replacing)),
    );
    results.forEach((result, index) => {
      const resource = ready[index]!;
      remaining.delete(resource);
      if (result.status === "rejected") {
        kept.add(resource);
        context.fail(`deleting ${resource.urn}: ${errorMessage(result.reason)}`);
      }
    });
  }
  for (const resource of remaining) {
    kept.add(resource);
    context.fail(`${resource.urn} was not deleted: a resource depending on it could not be deleted`);
  }
  return kept.size === 0;
}
