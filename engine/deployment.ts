// `up` and `preview`: turns each resource registration from the program into Check, Diff and Create/Update/replace
// calls on the dynamic-provider host, then deletes what the program no longer declares.
import type * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { errorMessage, type RunContext, type StepOp } from "./context";
import { deleteResources, dependentsOf } from "./deletes";
import type { LogSeverity, MonitorHandlers, RegistrationResult } from "./monitor";
import {
  applyIgnoreChanges,
  applySecrets,
  changedKeys,
  deepEqual,
  PROVIDER_KEY,
  type PropertyMap,
  splitSecrets,
} from "./properties";
import { type DiffResult, type ProviderHost, ResourceInitError } from "./provider-host";
import type { ResourceState } from "./state";

const STACK_TYPE = "pulumi:pulumi:Stack";
const DYNAMIC_TYPE_PREFIX = "pulumi-nodejs:dynamic/";

/** What the program asked for in one registration. */
interface Goal {
  urn: string;
  type: string;
  custom: boolean;
  parent?: string;
  inputs: PropertyMap;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  protect: boolean;
  retainOnDelete: boolean;
  /** Undefined when the option was not given: the provider's Diff then decides. */
  deleteBeforeReplace?: boolean;
  ignoreChanges: string[];
  additionalSecretOutputs: string[];
}

export function resourceUrn(
  stack: string,
  project: string,
  parentUrn: string,
  type: string,
  name: string,
): string {
  const parentType = parentUrn ? parentUrn.split("::")[2] : undefined;
  const qualified = parentType && parentType !== STACK_TYPE ? `${parentType}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** Options this engine does not implement are refused by name rather than silently ignored. */
function unsupportedOptions(request: resproto.RegisterResourceRequest): string[] {
  const refused: string[] = [];
  if (request.getImportid()) {
    refused.push(
      "import (the engine's import Read carries no inputs, so a dynamic provider never gets its __provider code: " +
        "pulumi/pulumi#16175; adopt existing objects through an input of the resource instead)",
    );
  }
  if (request.getProvider() || request.getProvidersMap().getLength() > 0) {
    refused.push("provider/providers (only the default dynamic provider is supported)");
  }
  const timeouts = request.getCustomtimeouts();
  if (
    timeouts &&
    [timeouts.getCreate(), timeouts.getUpdate(), timeouts.getDelete(), timeouts.getRead()].some(Boolean)
  ) {
    refused.push("customTimeouts (dynamic providers never read them)");
  }
  if (request.getReplaceonchangesList().length > 0) refused.push("replaceOnChanges");
  if (request.getDeletedwith()) refused.push("deletedWith");
  if (request.getReplaceWithList().length > 0) refused.push("replaceWith");
  if (request.hasReplacementTrigger()) refused.push("replacementTrigger");
  if (request.getAliasesList().length > 0) refused.push("aliases (structured alias specs)");
  if (request.getRemote()) refused.push("remote components (Construct)");
  if (request.getTransformsList().length > 0) refused.push("transforms");
  if (request.getHidediffsList().length > 0) refused.push("hideDiffs");
  return refused;
}

function goalOf(request: resproto.RegisterResourceRequest, urn: string): Goal {
  const propertyDependencies: Record<string, string[]> = {};
  request.getPropertydependenciesMap().forEach((entry, key) => {
    propertyDependencies[key] = entry.getUrnsList();
  });
  const dependencies = new Set(request.getDependenciesList());
  for (const urns of Object.values(propertyDependencies))
    for (const dependency of urns) dependencies.add(dependency);
  const dbrGiven = request.getDeletebeforereplacedefined() || request.getDeletebeforereplace();
  return {
    urn,
    type: request.getType(),
    custom: request.getCustom(),
    parent: request.getParent() || undefined,
    inputs: (request.getObject()?.toJavaScript() ?? {}) as PropertyMap,
    dependencies: [...dependencies],
    propertyDependencies,
    protect: request.hasProtect() ? Boolean(request.getProtect()) : false,
    retainOnDelete: request.hasRetainondelete() ? Boolean(request.getRetainondelete()) : false,
    deleteBeforeReplace: dbrGiven ? request.getDeletebeforereplace() : undefined,
    ignoreChanges: request.getIgnorechangesList(),
    additionalSecretOutputs: request.getAdditionalsecretoutputsList(),
  };
}

function stateOf(
  goal: Goal,
  id: string | undefined,
  inputs: PropertyMap,
  outputs: PropertyMap,
): ResourceState {
  const entry: ResourceState = {
    urn: goal.urn,
    type: goal.type,
    custom: goal.custom,
    id,
    inputs,
    outputs,
    parent: goal.parent,
    dependencies: goal.dependencies,
    propertyDependencies: goal.propertyDependencies,
  };
  if (goal.protect) entry.protect = true;
  if (goal.retainOnDelete) entry.retainOnDelete = true;
  if (goal.deleteBeforeReplace !== undefined) entry.deleteBeforeReplace = goal.deleteBeforeReplace;
  if (goal.additionalSecretOutputs.length > 0) entry.additionalSecretOutputs = goal.additionalSecretOutputs;
  return entry;
}

export class Deployment implements MonitorHandlers {
  private readonly registered = new Set<string>();
  private readonly replacedDependents = new Set<string>();
  private rootUrn = "";

  constructor(private readonly context: RunContext) {}

  async registerResource(request: resproto.RegisterResourceRequest): Promise<RegistrationResult> {
    const { project, stack } = this.context;
    const urn = resourceUrn(stack, project, request.getParent(), request.getType(), request.getName());
    try {
      if (this.registered.has(urn)) throw new Error("a resource with this URN was already registered");
      this.registered.add(urn);
      const refused = unsupportedOptions(request);
      if (refused.length > 0) throw new Error(`unsupported resource option(s): ${refused.join("; ")}`);
      const goal = goalOf(request, urn);
      this.context.redactor.learn(goal.inputs);
      if (goal.type === STACK_TYPE && !goal.parent) this.rootUrn = urn;
      const old = this.findOld(urn, request.getAliasurnsList());
      return goal.custom ? await this.registerCustom(goal, old) : this.registerComponent(goal, old);
    } catch (error) {
      const message = `${request.getType()} "${request.getName()}" (${urn}): ${errorMessage(error)}`;
      this.context.fail(message);
      throw new Error(this.context.redactor.scrub(message));
    }
  }

  registerResourceOutputs(urn: string, outputs: PropertyMap): void {
    this.context.redactor.learn(outputs);
    const { state } = this.context;
    const entry = state.find(urn);
    if (entry) entry.outputs = outputs;
    if (urn === this.rootUrn) state.setOutputs(outputs);
    else state.save();
  }

  log(severity: LogSeverity, message: string, urn: string): void {
    this.context.diagnostic(severity, message, urn);
  }

  /** After a successful program run: deletes the resources it no longer declares and the replaced ones. */
  async finish(): Promise<void> {
    const condemned = this.context.state
      .all()
      .filter((resource) => resource.pendingDelete || !this.registered.has(resource.urn));
    await deleteResources(this.context, condemned);
  }

  /** An alias lets a renamed resource (or one moved under a parent) keep its state instead of being replaced. */
  private findOld(urn: string, aliases: string[]): ResourceState | undefined {
    const { state } = this.context;
    const current = state.find(urn);
    if (current) return current;
    for (const alias of aliases) {
      const aliased = state.find(alias);
      if (aliased && !this.registered.has(alias)) {
        state.rename(alias, urn);
        return state.find(urn);
      }
    }
    return undefined;
  }

  private creationOp(urn: string): StepOp {
    return this.replacedDependents.has(urn) ? "replace" : "create";
  }

  private registerComponent(goal: Goal, old: ResourceState | undefined): RegistrationResult {
    const entry = stateOf(goal, undefined, goal.inputs, old?.outputs ?? {});
    this.context.state.put(entry);
    this.context.step(old ? "same" : this.creationOp(goal.urn), goal.urn, goal.type, false);
    return { urn: goal.urn, id: "", object: {} };
  }

  private async check(
    host: ProviderHost,
    goal: Goal,
    olds: PropertyMap,
    news: PropertyMap,
  ): Promise<PropertyMap> {
    const result = await host.check(goal.urn, olds, news);
    if (result.failures.length > 0) {
      const reasons = result.failures.map((failure) => `${failure.property}: ${failure.reason}`);
      throw new Error(`invalid inputs: ${reasons.join("; ")}`);
    }
    return result.inputs;
  }

  private async registerCustom(goal: Goal, old: ResourceState | undefined): Promise<RegistrationResult> {
    if (!goal.type.startsWith(DYNAMIC_TYPE_PREFIX)) {
      throw new Error(`this engine only runs dynamic resources (${DYNAMIC_TYPE_PREFIX}…), not ${goal.type}`);
    }
    const host = await this.context.host();
    const { plain: news, secretKeys } = splitSecrets(goal.inputs);
    for (const key of goal.additionalSecretOutputs) secretKeys.add(key);
    if (!old) {
      const checked = await this.check(host, goal, {}, news);
      return this.create(host, goal, checked, secretKeys, this.creationOp(goal.urn));
    }

    const oldInputs = splitSecrets(old.inputs).plain;
    const oldOutputs = splitSecrets(old.outputs);
    const checked = await this.check(
      host,
      goal,
      oldInputs,
      applyIgnoreChanges(news, oldInputs, goal.ignoreChanges),
    );
    const diff = await host.diff(goal.urn, old.id ?? "", oldOutputs.plain, checked, oldInputs);
    if (diff.replaces.length > 0) return this.replace(host, goal, old, news, secretKeys, diff);

    const changed =
      diff.changes === "some" ||
      (diff.changes === "unknown" && !deepEqual(oldInputs, checked)) ||
      (old.initErrors?.length ?? 0) > 0;
    if (!changed) {
      const outputs = applySecrets(oldOutputs.plain, new Set([...oldOutputs.secretKeys, ...secretKeys]));
      this.context.state.put(stateOf(goal, old.id, applySecrets(checked, secretKeys), outputs));
      this.context.step("same", goal.urn, goal.type, true);
      return { urn: goal.urn, id: old.id ?? "", object: outputs };
    }
    const keys = changedKeys(oldInputs, checked);
    if (this.context.dryRun) {
      this.context.step("update", goal.urn, goal.type, true, keys);
      return { urn: goal.urn, id: old.id ?? "", object: applySecrets(checked, secretKeys) };
    }
    let outputs: PropertyMap;
    try {
      outputs = await host.update(goal.urn, old.id ?? "", oldOutputs.plain, checked, oldInputs);
    } catch (error) {
      this.recordInitFailure(error, goal, checked, secretKeys);
      throw error;
    }
    const stored = applySecrets(outputs, secretKeys);
    this.context.redactor.learn(stored);
    this.context.state.put(stateOf(goal, old.id, applySecrets(checked, secretKeys), stored));
    this.context.step("update", goal.urn, goal.type, true, keys);
    return { urn: goal.urn, id: old.id ?? "", object: stored };
  }

  private async replace(
    host: ProviderHost,
    goal: Goal,
    old: ResourceState,
    news: PropertyMap,
    secretKeys: Set<string>,
    diff: DiffResult,
  ): Promise<RegistrationResult> {
    if (old.protect && goal.protect) {
      throw new Error(
        `unable to replace resource "${goal.urn}"\nas it is currently marked for protection. To unprotect the ` +
          "resource, remove the `protect` flag from the resource in your Pulumi program and run `pulumi up`",
      );
    }
    // A replacement is checked afresh from the program's inputs: ignoreChanges does not carry over.
    const checked = await this.check(host, goal, {}, news);
    if (goal.deleteBeforeReplace ?? diff.deleteBeforeReplace) {
      if (!this.context.dryRun) {
        const { state } = this.context;
        const dependents = dependentsOf(old, state.all());
        for (const dependent of dependents) this.replacedDependents.add(dependent.urn);
        const live = state.find(old.urn) ?? old;
        if (!(await deleteResources(this.context, [...dependents, live], false))) {
          throw new Error("the delete-before-replace deletion failed");
        }
      }
      return this.create(host, goal, checked, secretKeys, "replace", false, diff.replaces);
    }
    return this.create(host, goal, checked, secretKeys, "replace", true, diff.replaces);
  }

  private async create(
    host: ProviderHost,
    goal: Goal,
    checked: PropertyMap,
    secretKeys: Set<string>,
    op: StepOp,
    replacingLive = false,
    keys?: string[],
  ): Promise<RegistrationResult> {
    if (this.context.dryRun) {
      this.context.step(op, goal.urn, goal.type, true, keys);
      return { urn: goal.urn, id: "", object: applySecrets(checked, secretKeys) };
    }
    let created: { id: string; outputs: PropertyMap };
    try {
      created = await host.create(goal.urn, checked);
    } catch (error) {
      this.recordInitFailure(error, goal, checked, secretKeys, replacingLive);
      throw error;
    }
    const stored = applySecrets(created.outputs, secretKeys);
    this.context.redactor.learn(stored);
    const entry = stateOf(goal, created.id, applySecrets(checked, secretKeys), stored);
    this.context.state.put(entry, replacingLive);
    this.context.step(op, goal.urn, goal.type, true, keys);
    return { urn: goal.urn, id: created.id, object: stored };
  }

  /** The object exists but did not initialize: keep it in state so the next run updates it instead of recreating. */
  private recordInitFailure(
    error: unknown,
    goal: Goal,
    checked: PropertyMap,
    secretKeys: Set<string>,
    replacingLive = false,
  ): void {
    if (!(error instanceof ResourceInitError)) return;
    const outputs: PropertyMap = { ...error.properties };
    outputs[PROVIDER_KEY] ??= checked[PROVIDER_KEY] ?? null;
    const stored = applySecrets(outputs, secretKeys);
    this.context.redactor.learn(stored);
    const entry = stateOf(goal, error.id, applySecrets(checked, secretKeys), stored);
    entry.initErrors = error.reasons.length > 0 ? error.reasons : [error.message];
    this.context.state.put(entry, replacingLive);
  }
}
