// `up` and `preview`: turns each resource registration from the program into Check, Diff and Create/Update/replace
// calls on the dynamic-provider host, then deletes what the program no longer declares.
import type * as resproto from "@pulumi/pulumi/proto/resource_pb";
import { errorMessage, type RunContext, type StepOp } from "./context";
import { deleteResources } from "./deletes";
import type { LogSeverity, MonitorHandlers, RegistrationResult } from "./monitor";
import {
  annotateSecrets,
  applyIgnoreChanges,
  applySecrets,
  changedKeys,
  deepEqual,
  type PropertyMap,
  splitSecrets,
  UNKNOWN_VALUE,
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
  if (goal.ignoreChanges.length > 0) entry.ignoreChanges = goal.ignoreChanges;
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
    const { state } = this.context;
    state.setResourceOutputs(urn, outputs);
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
    const result = await host.check(goal.urn, olds, splitSecrets(news).plain);
    if (result.failures.length > 0) {
      const reasons = result.failures.map((failure) => `${failure.property}: ${failure.reason}`);
      throw new Error(`invalid inputs: ${reasons.join("; ")}`);
    }
    // provider_plugin.go `Check`: a checked input is secret only where the program's value was.
    return annotateSecrets(result.inputs, news);
  }

  /**
   * Outputs as the engine stores them: secret where the input of the same key was (provider_plugin.go
   * `Create`/`Update`, `annotateSecrets`) or where additionalSecretOutputs says (step_executor.go).
   */
  private secretOutputs(goal: Goal, outputs: PropertyMap, checked: PropertyMap): PropertyMap {
    return applySecrets(annotateSecrets(outputs, checked), goal.additionalSecretOutputs);
  }

  private async registerCustom(goal: Goal, old: ResourceState | undefined): Promise<RegistrationResult> {
    if (!goal.type.startsWith(DYNAMIC_TYPE_PREFIX)) {
      throw new Error(`this engine only runs dynamic resources (${DYNAMIC_TYPE_PREFIX}…), not ${goal.type}`);
    }
    const host = await this.context.host();
    if (!old) {
      const checked = await this.check(host, goal, {}, goal.inputs);
      return this.create(host, goal, checked, this.creationOp(goal.urn));
    }

    const oldInputs = splitSecrets(old.inputs).plain;
    const oldOutputs = splitSecrets(old.outputs).plain;
    // step_generator.go `continueStepsFromImport`: ignoreChanges applies before Check, on every registration.
    const checked = await this.check(
      host,
      goal,
      oldInputs,
      applyIgnoreChanges(goal.inputs, old.inputs, goal.ignoreChanges),
    );
    const plainChecked = splitSecrets(checked).plain;
    const diff = await host.diff(goal.urn, old.id ?? "", oldOutputs, plainChecked, oldInputs);
    if (diff.replaces.length > 0) return this.replace(host, goal, old, diff);

    const changed =
      diff.changes === "some" ||
      (diff.changes === "unknown" && !deepEqual(oldInputs, plainChecked)) ||
      (old.initErrors?.length ?? 0) > 0;
    if (!changed) {
      const outputs = applySecrets(old.outputs, goal.additionalSecretOutputs);
      this.context.state.put(stateOf(goal, old.id, checked, outputs));
      this.context.step("same", goal.urn, goal.type, true);
      return { urn: goal.urn, id: old.id ?? "", object: outputs };
    }
    const keys = changedKeys(oldInputs, plainChecked);
    if (this.context.dryRun) {
      this.context.step("update", goal.urn, goal.type, true, keys);
      return { urn: goal.urn, id: old.id ?? "", object: checked };
    }
    let outputs: PropertyMap;
    try {
      outputs = await host.update(goal.urn, old.id ?? "", oldOutputs, plainChecked, oldInputs);
    } catch (error) {
      // engine/update.go `OnResourceStepPost`: a partially failed update keeps the old inputs with the new outputs.
      this.recordInitFailure(error, goal, checked, old.inputs);
      throw error;
    }
    const stored = this.secretOutputs(goal, outputs, checked);
    this.context.state.put(stateOf(goal, old.id, checked, stored));
    this.context.step("update", goal.urn, goal.type, true, keys);
    return { urn: goal.urn, id: old.id ?? "", object: stored };
  }

  /**
   * The dependents a delete-before-replace of `root` must replace too (step_generator.go
   * `calculateDependentReplacements`): walking the old dependency graph, a dependent whose inputs take a value from
   * a resource being replaced is diffed with those inputs unknown, and goes only when its provider says replace.
   * Dependents through `dependsOn` alone, and resources already registered in this run, stay.
   */
  private async dependentReplacements(host: ProviderHost, root: ResourceState): Promise<ResourceState[]> {
    const replaceSet = new Set([root.urn]);
    const dependentSet = new Set([root.urn]);
    const toReplace: ResourceState[] = [];
    for (const candidate of this.context.state.all()) {
      if (candidate.pendingDelete || this.registered.has(candidate.urn) || candidate.urn === root.urn)
        continue;
      const edges = [
        ...candidate.dependencies,
        ...Object.values(candidate.propertyDependencies ?? {}).flat(),
      ];
      if (!edges.some((urn) => dependentSet.has(urn))) continue;
      dependentSet.add(candidate.urn);
      if (!candidate.custom) continue;
      const inputs = splitSecrets(candidate.inputs).plain;
      let affected = false;
      for (const [key, urns] of Object.entries(candidate.propertyDependencies ?? {})) {
        if (key in inputs && urns.some((urn) => replaceSet.has(urn))) {
          inputs[key] = UNKNOWN_VALUE;
          affected = true;
        }
      }
      if (!affected) continue;
      const diff = await host.diff(
        candidate.urn,
        candidate.id ?? "",
        splitSecrets(candidate.outputs).plain,
        inputs,
        splitSecrets(candidate.inputs).plain,
      );
      if (diff.replaces.length > 0) {
        replaceSet.add(candidate.urn);
        toReplace.push(candidate);
      }
    }
    return toReplace;
  }

  private async replace(
    host: ProviderHost,
    goal: Goal,
    old: ResourceState,
    diff: DiffResult,
  ): Promise<RegistrationResult> {
    if (old.protect && goal.protect) {
      throw new Error(
        `unable to replace resource "${goal.urn}"\nas it is currently marked for protection. To unprotect the ` +
          "resource, remove the `protect` flag from the resource in your Pulumi program and run `pulumi up`",
      );
    }
    // A replacement is checked afresh from the program's inputs: ignoreChanges does not carry over.
    const checked = await this.check(host, goal, {}, goal.inputs);
    if (goal.deleteBeforeReplace ?? diff.deleteBeforeReplace) {
      const dependents = await this.dependentReplacements(host, old);
      const guarded = dependents.find((dependent) => dependent.protect);
      if (guarded) {
        throw new Error(
          `unable to replace resource "${guarded.urn}" as part of replacing "${goal.urn}" as it is currently ` +
            "marked for protection. To unprotect the resource, remove the `protect` flag from the resource in " +
            `your Pulumi program and run \`pulumi up\`, or use the command:\n\`pulumi state unprotect ${guarded.urn}\``,
        );
      }
      if (!this.context.dryRun) {
        for (const dependent of dependents) this.replacedDependents.add(dependent.urn);
        const live = this.context.state.find(old.urn) ?? old;
        if (!(await deleteResources(this.context, [...dependents, live], true))) {
          throw new Error("the delete-before-replace deletion failed");
        }
      }
      return this.create(host, goal, checked, "replace", false, diff.replaces);
    }
    return this.create(host, goal, checked, "replace", true, diff.replaces);
  }

  private async create(
    host: ProviderHost,
    goal: Goal,
    checked: PropertyMap,
    op: StepOp,
    replacingLive = false,
    keys?: string[],
  ): Promise<RegistrationResult> {
    if (this.context.dryRun) {
      this.context.step(op, goal.urn, goal.type, true, keys);
      return { urn: goal.urn, id: "", object: checked };
    }
    let created: { id: string; outputs: PropertyMap };
    try {
      created = await host.create(goal.urn, splitSecrets(checked).plain);
    } catch (error) {
      this.recordInitFailure(error, goal, checked, checked, replacingLive);
      throw error;
    }
    const stored = this.secretOutputs(goal, created.outputs, checked);
    this.context.state.put(stateOf(goal, created.id, checked, stored), replacingLive);
    this.context.step(op, goal.urn, goal.type, true, keys);
    return { urn: goal.urn, id: created.id, object: stored };
  }

  /**
   * The object exists but did not initialize: keep it in state so the next run updates it instead of recreating.
   * Its outputs are the error's properties exactly as the host sent them, which carry no `__provider` unless the
   * provider put it there (cmd/dynamic-provider `grpcResponseFromError`).
   */
  private recordInitFailure(
    error: unknown,
    goal: Goal,
    checked: PropertyMap,
    storedInputs: PropertyMap,
    replacingLive = false,
  ): void {
    if (!(error instanceof ResourceInitError)) return;
    const entry = stateOf(goal, error.id, storedInputs, this.secretOutputs(goal, error.properties, checked));
    entry.initErrors = error.reasons.length > 0 ? error.reasons : [error.message];
    this.context.state.put(entry, replacingLive);
  }
}
