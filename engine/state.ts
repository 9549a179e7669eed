// The stack's state file (`<project>/.pulumi-dbaas/stacks/<stack>.json`): what was deployed, rewritten atomically after
// every step so an interrupted or failed run can simply be run again; secrets are encrypted in it.
import * as fs from "node:fs";
import * as path from "node:path";
import type { JsonValue, PropertyMap } from "./properties";
import {
  decryptSecrets,
  encryptSecrets,
  type PassphraseSecretsManager,
  type SecretsProviderRecord,
} from "./secrets";

export interface ResourceState {
  urn: string;
  type: string;
  custom: boolean;
  id?: string;
  /** Checked inputs; secret values keep the Pulumi secret wrapper. */
  inputs: PropertyMap;
  outputs: PropertyMap;
  parent?: string;
  dependencies: string[];
  propertyDependencies?: Record<string, string[]>;
  protect?: boolean;
  retainOnDelete?: boolean;
  deleteBeforeReplace?: boolean;
  additionalSecretOutputs?: string[];
  /** Kept for refresh, whose diff applies them as `up` did (step.go `RefreshStep.Apply`, `s.old.IgnoreChanges`). */
  ignoreChanges?: string[];
  /** Set when Create/Update reported the object exists but failed to initialize: the next run updates it. */
  initErrors?: string[];
  /** The replaced half of a create-before-delete replacement, still to be deleted. */
  pendingDelete?: boolean;
}

export interface StackState {
  version: 1;
  resources: ResourceState[];
  outputs: PropertyMap;
  /**
   * The stack configuration the last `up` configured the default provider with (namespaced keys, secure values as
   * secrets): `refresh` and `destroy` configure the provider from it, as the real engine loads the default provider
   * resource from the checkpoint.
   */
  providerConfig?: PropertyMap;
  secretsProviders?: SecretsProviderRecord;
}

export function stateFilePath(rootDirectory: string, stack: string): string {
  return path.join(rootDirectory, ".pulumi-dbaas", "stacks", `${stack}.json`);
}

/** Reads the state file, decrypting its secrets with the stack's secrets manager (only asked for when there are some). */
export function readState(file: string, secrets: PassphraseSecretsManager): StackState {
  if (!fs.existsSync(file)) return { version: 1, resources: [], outputs: {} };
  const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as StackState;
  if (parsed.version !== 1 || !Array.isArray(parsed.resources)) {
    throw new Error(`${file} is not a version 1 state file`);
  }
  const reader = secrets.forState(parsed.secretsProviders);
  const decrypted = decryptSecrets(parsed as unknown as JsonValue, reader) as unknown as StackState;
  return {
    version: 1,
    resources: decrypted.resources,
    outputs: decrypted.outputs ?? {},
    ...(decrypted.providerConfig ? { providerConfig: decrypted.providerConfig } : {}),
  };
}

const ENTRY_SEPARATOR = Buffer.from(",\n");

/** Live state of one run; `save` is a no-op for previews, which must leave the file untouched. */
export class StateStore {
  private resources: ResourceState[];
  /**
   * Each entry as it is written (secrets encrypted, indented for its place in the file), made once per entry object:
   * the file is rewritten after every step, and serializing every entry each time made a run of n resources allocate
   * O(n²) bytes (2.4 MB strings per write at 300 resources), which the engine's heap grew to hold.
   */
  private readonly written = new WeakMap<ResourceState, Buffer>();
  outputs: PropertyMap;
  providerConfig: PropertyMap | undefined;

  constructor(
    private readonly file: string,
    initial: StackState,
    private readonly persist: boolean,
    private readonly secrets: PassphraseSecretsManager,
  ) {
    this.resources = initial.resources.map((resource) => structuredClone(resource));
    this.outputs = structuredClone(initial.outputs);
    this.providerConfig = initial.providerConfig && structuredClone(initial.providerConfig);
  }

  /** A copy that never writes the file: what a preview, or the preview before an `up`, works on. */
  snapshot(): StateStore {
    return new StateStore(
      this.file,
      { version: 1, resources: this.resources, outputs: this.outputs, providerConfig: this.providerConfig },
      false,
      this.secrets,
    );
  }

  /** The live (not pending-delete) resource with this URN. */
  find(urn: string): ResourceState | undefined {
    return this.resources.find((resource) => resource.urn === urn && !resource.pendingDelete);
  }

  all(): ResourceState[] {
    return [...this.resources];
  }

  /**
   * Records the live entry for this URN in place of the current one; with `replacing`, the current one stays as a
   * pending delete instead (create-before-delete), in the same write so no interruption can lose either.
   */
  put(resource: ResourceState, replacing = false): void {
    const index = this.resources.findIndex((entry) => entry.urn === resource.urn && !entry.pendingDelete);
    if (index < 0) this.resources.push(resource);
    else if (replacing) {
      this.resources[index] = { ...this.resources[index]!, pendingDelete: true };
      this.resources.push(resource);
    } else this.resources[index] = resource;
    this.save();
  }

  /** Gives a live entry its new URN (an alias matched it), keeping everything else. */
  rename(from: string, to: string): void {
    const entry = this.find(from);
    if (entry) {
      entry.urn = to;
      this.written.delete(entry);
    }
    this.save();
  }

  /** The outputs a component registered for itself. */
  setResourceOutputs(urn: string, outputs: PropertyMap): void {
    const entry = this.find(urn);
    if (entry) {
      entry.outputs = outputs;
      this.written.delete(entry);
    }
  }

  remove(resource: ResourceState): void {
    this.resources = this.resources.filter((entry) => entry !== resource);
    this.save();
  }

  setOutputs(outputs: PropertyMap): void {
    this.outputs = outputs;
    this.save();
  }

  setProviderConfig(config: PropertyMap): void {
    this.providerConfig = config;
    this.save();
  }

  save(): void {
    if (!this.persist) return;
    // Before the record: the first secret encrypted is what creates the salt it names.
    const entries = this.resources.map((resource) => this.writtenForm(resource));
    const rest: Omit<StackState, "version" | "resources"> = {
      outputs: this.outputs,
      ...(this.providerConfig ? { providerConfig: this.providerConfig } : {}),
    };
    const encrypted = encryptSecrets(rest as unknown as JsonValue, this.secrets) as object;
    const record = this.secrets.record();
    const tail = JSON.stringify({ ...encrypted, ...(record ? { secretsProviders: record } : {}) }, null, 2);
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    // The text JSON.stringify(document, null, 2) gives, written from each entry's bytes rather than as one string.
    const pieces: Buffer[] = [
      Buffer.from(`{\n  "version": 1,\n  "resources": [${entries.length > 0 ? "\n" : ""}`),
    ];
    for (const [index, entry] of entries.entries())
      pieces.push(...(index > 0 ? [ENTRY_SEPARATOR, entry] : [entry]));
    pieces.push(Buffer.from(`${entries.length > 0 ? "\n  " : ""}],\n${tail.slice(2)}\n`));
    const fd = fs.openSync(temporary, "w");
    try {
      fs.writevSync(fd, pieces);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, this.file);
  }

  private writtenForm(resource: ResourceState): Buffer {
    let bytes = this.written.get(resource);
    if (bytes === undefined) {
      const encrypted = encryptSecrets(resource as unknown as JsonValue, this.secrets);
      // JSON text holds no raw newline inside a string, so every newline starts a line to indent.
      bytes = Buffer.from(`    ${JSON.stringify(encrypted, null, 2).replaceAll("\n", "\n    ")}`);
      this.written.set(resource, bytes);
    }
    return bytes;
  }
}
