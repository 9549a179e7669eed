// The `scaleway:DatabaseInstance` API mapping (its declaration is instance.declaration.ts): the create request, the live
// inputs, and the update plan — PATCH for metadata, one `/upgrade` at a time with a wait in between, settings through
// the settings endpoint, endpoints through the endpoints API.
import type {
  Endpoint,
  EndpointSpec,
  Instance,
  RdbApi,
  UpdateInstanceRequest,
  UpgradeInstanceRequest,
} from "../../../sdk";
import { batchedLookup } from "../batched-lookup";
import { checkedInputs } from "../declaration";
import { type Outputs, type ResourceImpl, readResult, stableAutoName } from "../resource-impl";
import { createdSince, settleChange, settleCreate } from "../settle";
import {
  finishCreate,
  formatRegionalId,
  isOwnershipTag,
  isUnknown,
  type Json,
  ownershipTag,
  parseRegionalId,
  plainObject,
  progressReporter,
  timeoutMs,
  unlessGone,
} from "../support";
import { type CheckFailure, onePerProperty, validateInputs } from "../validation";
import { catalogueFailures, catalogueOf } from "./catalogue";
import { defaultProjectId, defaultRegion, rdbApi } from "./clients";
import {
  autoName,
  crossFieldFailures,
  type DesiredInstance,
  diffInstance,
  engineSourceFailures,
  generatePassword,
  type InstanceInputs,
  instanceInputSchema,
  withDefaultVolumeType,
} from "./instance.declaration";

const DEFAULT_TIMEOUT_MS = 30 * 60_000;
const GB = 1_000_000_000;

type Settings = Record<string, string>;
type Upgrade = Omit<UpgradeInstanceRequest, "region" | "instanceId">;
type Patch = Omit<UpdateInstanceRequest, "region" | "instanceId">;
type InputName = keyof InstanceInputs;

const toNameValues = (settings: Settings) =>
  Object.entries(settings).map(([name, value]) => ({ name, value }));
const fromNameValues = (list: Array<{ name: string; value: string }>): Settings =>
  Object.fromEntries(list.map(({ name, value }) => [name, value]));

const labelOf = (inputs: { name?: unknown }) => `scaleway:DatabaseInstance ${String(inputs.name ?? "")}`;

type PrivateNetwork = NonNullable<InstanceInputs["privateNetwork"]>;

/** What an endpoint is for, as the `endpoints` output names it. */
function kindOf(endpoint: Endpoint): "loadBalancer" | "privateNetwork" | "directAccess" | "unknown" {
  if (endpoint.loadBalancer) return "loadBalancer";
  if (endpoint.privateNetwork) return "privateNetwork";
  if (endpoint.directAccess) return "directAccess";
  return "unknown";
}

const KIND_ORDER = ["loadBalancer", "privateNetwork", "directAccess", "unknown"];

/** The instance's endpoints, public ones first, then by id: the API's own order moves as endpoints come and go. */
function sortedEndpoints(instance: Instance): Endpoint[] {
  return [...instance.endpoints].sort(
    (a, b) => KIND_ORDER.indexOf(kindOf(a)) - KIND_ORDER.indexOf(kindOf(b)) || a.id.localeCompare(b.id),
  );
}

const addressOf = (endpoint: Endpoint) => ({
  ...(endpoint.ip ? { ip: endpoint.ip } : {}),
  ...(endpoint.hostname ? { hostname: endpoint.hostname } : {}),
  port: endpoint.port,
});

/** The endpoint clients connect to: the public (load-balancer) one, else the Private Network one. */
function mainEndpoint(instance: Instance): { ip?: string; hostname?: string; port: number } | null {
  const [first] = sortedEndpoints(instance);
  const endpoint = first ?? instance.endpoint;
  return endpoint ? addressOf(endpoint) : null;
}

function endpointOutput(endpoint: Endpoint) {
  const network = endpoint.privateNetwork;
  return {
    id: endpoint.id,
    kind: kindOf(endpoint),
    ...addressOf(endpoint),
    name: endpoint.name,
    ...(network
      ? {
          privateNetworkId: network.privateNetworkId,
          ...(network.serviceIp ? { serviceIp: network.serviceIp } : {}),
        }
      : {}),
  };
}

/**
 * The `privateNetwork` input the live instance matches: its Private Network endpoint with a static address, or with
 * IPAM (whose address is the service's choice, so it is not part of the input).
 */
function livePrivateNetwork(instance: Instance, previous: unknown): PrivateNetwork | undefined {
  const network = sortedEndpoints(instance).find((endpoint) => endpoint.privateNetwork)?.privateNetwork;
  if (!network) return undefined;
  const declared = (previous ?? {}) as Partial<PrivateNetwork>;
  const mode = network.provisioningMode ?? (declared.serviceIp === network.serviceIp ? "static" : "ipam");
  return mode === "static" && network.serviceIp
    ? { privateNetworkId: network.privateNetworkId, serviceIp: network.serviceIp, enableIpam: false }
    : { privateNetworkId: network.privateNetworkId, enableIpam: true };
}

/** The `connectionString` output: libpq's URL with `sslmode=require` (encrypted; see the README for node-postgres). */
export function connectionString(instance: Instance, userName: string, password: string): string {
  const endpoint = mainEndpoint(instance);
  if (!endpoint) return "";
  const host = endpoint.hostname ?? endpoint.ip ?? "";
  const credentials = `${encodeURIComponent(userName)}:${encodeURIComponent(password)}`;
  return instance.engine.toLowerCase().startsWith("mysql")
    ? `mysql://${credentials}@${host}:${endpoint.port}/rdb?ssl-mode=REQUIRED`
    : `postgresql://${credentials}@${host}:${endpoint.port}/rdb?sslmode=require`;
}

/**
 * The live values of the inputs that are unmanaged when unset, read only when `previous` sets them (undefined
 * otherwise), so that server defaults never diff.
 */
const LIVE_WHEN_MANAGED: Partial<
  Record<InputName, (instance: Instance, previous: unknown) => Json | undefined>
> = {
  volumeSizeGb: (instance, previous) => {
    if (typeof previous !== "number" || !instance.volume) return undefined;
    return instance.volume.type === "lssd" ? null : Math.round(instance.volume.size / GB);
  },
  projectId: (instance, previous) => (typeof previous === "string" ? instance.projectId : undefined),
  backupSameRegion: (instance, previous) =>
    typeof previous === "boolean" ? instance.backupSameRegion : undefined,
  loadBalancer: (instance, previous) =>
    typeof previous === "boolean" ? instance.endpoints.some((endpoint) => endpoint.loadBalancer) : undefined,
  logsPolicy: (instance, previous) => {
    if (!previous || !instance.logsPolicy) return undefined;
    const { maxAgeRetention, totalDiskRetention } = instance.logsPolicy;
    return { maxAgeRetention, ...(totalDiskRetention ? { totalDiskRetention } : {}) };
  },
};

/**
 * The live values of the inputs this resource manages, on top of `previous` (old outputs or inputs). Keeps the user's
 * spelling where the API only changes case; reports only the settings keys the user manages; leaves inputs the user
 * did not set (see LIVE_WHEN_MANAGED) as they were.
 */
function liveInputs(instance: Instance, previous: Readonly<Record<string, unknown>>): Outputs {
  const sameCase = (prev: unknown, live: string) =>
    typeof prev === "string" && prev.toLowerCase() === live.toLowerCase() ? prev : live;
  const liveSettings = fromNameValues(instance.settings);
  const managedKeys = Object.keys((previous.settings ?? {}) as Settings).filter((key) => key in liveSettings);
  const live: Record<string, unknown> = {
    ...previous,
    name: instance.name,
    engine: sameCase(previous.engine, instance.engine),
    nodeType: sameCase(previous.nodeType, instance.nodeType),
    isHaCluster: instance.isHaCluster,
    tags: instance.tags.filter((tag) => !isOwnershipTag(tag)),
    initSettings: fromNameValues(instance.initSettings),
    settings: Object.fromEntries(managedKeys.map((key) => [key, liveSettings[key]])),
    encryptionAtRest: instance.encryption?.enabled ?? false,
    privateNetwork: livePrivateNetwork(instance, previous.privateNetwork),
    region: instance.region,
  };
  if (instance.volume) live.volumeType = instance.volume.type;
  for (const [key, read] of Object.entries(LIVE_WHEN_MANAGED)) {
    const value = read(instance, previous[key]);
    if (value !== undefined) live[key] = value;
  }
  return plainObject(live);
}

async function certificateOf(api: RdbApi, instance: Instance): Promise<string> {
  if (instance.status !== "ready") return "";
  const certificate = await api.getInstanceCertificate({ region: instance.region, instanceId: instance.id });
  // The API answers a file object whose content is base64; users want the PEM text.
  return Buffer.from(certificate.content, "base64").toString("utf8");
}

/**
 * The outputs for `instance`, on top of `inputs` (the inputs, or the previous outputs on read). `password` is the
 * one in force, declared or generated: a secret output, never an input unless the program declares it.
 */
async function outputsOf(
  api: RdbApi,
  instance: Instance,
  inputs: Readonly<Record<string, unknown>>,
  password: string | undefined,
): Promise<Outputs> {
  return plainObject({
    ...liveInputs(instance, inputs),
    password: password ?? null,
    instanceId: instance.id,
    status: instance.status,
    endpoint: mainEndpoint(instance),
    endpoints: sortedEndpoints(instance).map(endpointOutput),
    certificate: await certificateOf(api, instance),
    upgradableVersions: instance.upgradableVersion,
    readReplicas: instance.readReplicas,
    maintenances: instance.maintenances,
    organizationId: instance.organizationId,
    createdAt: instance.createdAt,
    connectionString: connectionString(instance, String(inputs.userName ?? "admin"), password ?? ""),
  });
}

function waitSettings(
  label: string,
  timeouts: InstanceInputs["timeouts"],
  op: "create" | "update" | "delete",
) {
  return { deadlineMs: timeoutMs(timeouts, op, DEFAULT_TIMEOUT_MS), onProgress: progressReporter(label) };
}

/**
 * The tag that finds what this resource created. It also covers the replacing inputs the API never reports back
 * (user name, clone or snapshot source): a replacement over one of those must not adopt the instance it replaces.
 */
function ownershipTags(inputs: InstanceInputs): string[] {
  if (!inputs.__identity) return [];
  const source = inputs.cloneFrom ?? inputs.snapshotId ?? "";
  return [ownershipTag(`${inputs.__identity}|${inputs.userName}|${source}`)];
}

/**
 * Makes `userName` exist with the declared password: an adopted or cloned instance, or one made from a snapshot,
 * comes with its own users.
 */
async function ensureUser(api: RdbApi, region: string, instanceId: string, inputs: DesiredInstance) {
  const users = await api.listAllUsers({ region, instanceId, name: inputs.userName });
  if (users.some((user) => user.name === inputs.userName)) {
    await api.updateUser({ region, instanceId, name: inputs.userName, password: inputs.password });
  } else {
    await api.createUser({
      region,
      instanceId,
      name: inputs.userName,
      password: inputs.password,
      isAdmin: true,
    });
  }
}

/** What the PATCH sends for each input that changes through it. */
const PATCHED: Partial<Record<InputName, (desired: DesiredInstance) => Patch>> = {
  name: (desired) => ({ name: desired.name }),
  tags: (desired) => ({ tags: [...desired.tags, ...ownershipTags(desired)] }),
  logsPolicy: (desired) => (desired.logsPolicy ? { logsPolicy: desired.logsPolicy } : {}),
  backupSameRegion: (desired) => ({ backupSameRegion: desired.backupSameRegion }),
};

/**
 * The `/upgrade` call for each input that changes through one, in the order Terraform applies them (the API takes
 * one per call); undefined when the change needs none.
 */
const UPGRADES: Partial<Record<InputName, (desired: InstanceInputs) => Upgrade | undefined>> = {
  nodeType: (desired) => ({ nodeType: desired.nodeType.toLowerCase() }),
  volumeType: (desired) => (desired.volumeType ? { volumeType: desired.volumeType } : undefined),
  volumeSizeGb: (desired) =>
    desired.volumeSizeGb === undefined ? undefined : { volumeSize: desired.volumeSizeGb * GB },
  isHaCluster: (desired) => (desired.isHaCluster ? { enableHa: true } : undefined),
  encryptionAtRest: (desired) => (desired.encryptionAtRest ? { enableEncryption: true } : undefined),
};

/** The PATCH a change needs; `forceTags` rewrites the tags whatever changed (adoption, clones). */
function patchFor(changed: Set<string>, desired: DesiredInstance, forceTags: boolean): Patch {
  const patch: Patch = {};
  for (const [key, fields] of Object.entries(PATCHED)) {
    if (changed.has(key) || (key === "tags" && forceTags)) Object.assign(patch, fields(desired));
  }
  return patch;
}

function upgradesFor(changed: Set<string>, desired: InstanceInputs): Upgrade[] {
  return Object.entries(UPGRADES)
    .filter(([key]) => changed.has(key))
    .map(([, upgrade]) => upgrade(desired))
    .filter((upgrade) => upgrade !== undefined);
}

/** Whether `instance` already has what `upgrade` asks for, or is busy applying something (an upgrade under way). */
function upgradeInEffect(instance: Instance, upgrade: Upgrade): boolean {
  if (instance.status !== "ready") return true;
  if (upgrade.nodeType !== undefined) return instance.nodeType.toLowerCase() === upgrade.nodeType;
  if (upgrade.volumeType !== undefined) return instance.volume?.type === upgrade.volumeType;
  if (upgrade.volumeSize !== undefined) return (instance.volume?.size ?? 0) >= upgrade.volumeSize;
  if (upgrade.enableHa) return instance.isHaCluster;
  if (upgrade.enableEncryption) return instance.encryption?.enabled === true;
  return false;
}

/**
 * Brings the instance from `current` (its live inputs) to `desired`, one API change at a time, waiting for the
 * instance to settle after each one that makes it busy. `forceTags` rewrites the tags (adoption, clones).
 */
async function reconcile(
  api: RdbApi,
  instanceId: string,
  current: Outputs,
  desired: DesiredInstance,
  forceTags = false,
): Promise<boolean> {
  const region = desired.region;
  const label = labelOf(desired);
  const settle = () =>
    api.waitForInstance({ region, instanceId }, waitSettings(label, desired.timeouts, "update"));
  const { updates, replaces } = diffInstance(current, desired);
  if (replaces.length > 0) {
    throw new Error(`${label}: ${replaces.join(", ")} cannot change without replacing the instance`);
  }
  const changed = new Set(updates);
  let wrote = false;

  const patch = patchFor(changed, desired, forceTags);
  if (Object.keys(patch).length > 0) {
    await api.updateInstance({ region, instanceId, ...patch });
    wrote = true;
  }

  for (const upgrade of upgradesFor(changed, desired)) {
    const what = `upgrading ${Object.keys(upgrade).join(", ")}`;
    console.log(`${label}: ${what}`);
    await settleChange({
      label,
      what,
      send: () => api.upgradeInstance({ region, instanceId, ...upgrade }),
      inEffect: async () => upgradeInEffect(await api.getInstance({ region, instanceId }), upgrade),
    });
    await settle();
    wrote = true;
  }

  if (changed.has("settings")) {
    const before = (current.settings ?? {}) as Settings;
    const changedSettings = Object.entries(desired.settings).filter(([key, value]) => before[key] !== value);
    const removed = Object.keys(before).filter((key) => !(key in desired.settings));
    if (changedSettings.length > 0) {
      await api.addInstanceSettings({
        region,
        instanceId,
        settings: toNameValues(Object.fromEntries(changedSettings)),
      });
      await settle();
      wrote = true;
    }
    if (removed.length > 0) {
      await api.deleteInstanceSettings({ region, instanceId, settingNames: removed });
      await settle();
      wrote = true;
    }
  }

  if (changed.has("password")) {
    await api.updateUser({ region, instanceId, name: desired.userName, password: desired.password });
  }

  if (changed.has("privateNetwork") || changed.has("loadBalancer")) {
    await reconcileEndpoints(api, instanceId, desired, changed, settle);
    wrote = true;
  }
  return wrote;
}

/** The endpoint spec of a declared Private Network: its static address, or IPAM. */
function privateNetworkSpec({ privateNetworkId, serviceIp }: PrivateNetwork): EndpointSpec {
  return {
    privateNetwork: serviceIp ? { privateNetworkId, serviceIp } : { privateNetworkId, ipamConfig: {} },
  };
}

/** The endpoints of a create: none asked for leaves the API's default, a public endpoint. */
function initEndpoints(inputs: InstanceInputs): EndpointSpec[] {
  if (!inputs.privateNetwork) return [];
  return [
    privateNetworkSpec(inputs.privateNetwork),
    ...(inputs.loadBalancer === true ? [{ loadBalancer: {} }] : []),
  ];
}

/**
 * Brings the endpoints to the declared ones as Terraform does: a changed Private Network endpoint is deleted, then
 * added again; the public one is added or deleted. The instance is busy after each change: each waits on it.
 */
async function reconcileEndpoints(
  api: RdbApi,
  instanceId: string,
  desired: DesiredInstance,
  changed: Set<string>,
  settle: () => Promise<Instance>,
) {
  const region = desired.region;
  const label = labelOf(desired);
  const endpoints = (await api.getInstance({ region, instanceId })).endpoints;
  const remove = async (endpoint: Endpoint, what: string) => {
    console.log(`${label}: deleting the ${what} endpoint ${endpoint.id}`);
    await settleChange({
      label,
      what: `deleting endpoint ${endpoint.id}`,
      send: () => unlessGone(() => api.deleteEndpoint({ region, endpointId: endpoint.id })),
      inEffect: async () => {
        const instance = await api.getInstance({ region, instanceId });
        return instance.status !== "ready" || !instance.endpoints.some((e) => e.id === endpoint.id);
      },
    });
    await settle();
  };
  const add = async (spec: EndpointSpec, what: string, present: (endpoint: Endpoint) => boolean) => {
    console.log(`${label}: adding the ${what} endpoint`);
    await settleChange({
      label,
      what: `adding the ${what} endpoint`,
      send: () => api.createEndpoint({ region, instanceId, endpointSpec: spec }),
      inEffect: async () => {
        const instance = await api.getInstance({ region, instanceId });
        return instance.status !== "ready" || instance.endpoints.some(present);
      },
    });
    await settle();
  };

  if (changed.has("privateNetwork")) {
    for (const endpoint of endpoints.filter((e) => e.privateNetwork))
      await remove(endpoint, "Private Network");
    const network = desired.privateNetwork;
    if (network) {
      await add(
        privateNetworkSpec(network),
        "Private Network",
        (e) => e.privateNetwork?.privateNetworkId === network.privateNetworkId,
      );
    }
  }
  if (changed.has("loadBalancer")) {
    const publicOnes = endpoints.filter((e) => e.loadBalancer);
    if (desired.loadBalancer === false) {
      for (const endpoint of publicOnes) await remove(endpoint, "public");
    } else if (desired.loadBalancer === true && publicOnes.length === 0) {
      await add({ loadBalancer: {} }, "public", (e) => Boolean(e.loadBalancer));
    }
  }
}

/** The current state of an existing instance seen as inputs, for reconciling it to `inputs`. */
function currentFor(instance: Instance, inputs: InstanceInputs): Outputs {
  const managedSettings = fromNameValues(
    instance.settings.filter((setting) => setting.name in inputs.settings),
  );
  return liveInputs(instance, { ...inputs, settings: managedSettings });
}

/** Takes over an existing instance (adoptId, or one an interrupted run created) and reconciles it to `inputs`. */
async function adopt(api: RdbApi, instanceId: string, inputs: DesiredInstance, raw: Outputs) {
  const region = inputs.region;
  const label = labelOf(raw);
  const instance = await api.waitForInstance(
    { region, instanceId },
    waitSettings(label, inputs.timeouts, "create"),
  );
  const current = currentFor(instance, inputs);
  await reconcile(
    api,
    instanceId,
    { ...current, password: inputs.password, userName: inputs.userName },
    inputs,
    true,
  );
  await ensureUser(api, region, instanceId, inputs);
  const outs = await outputsOf(api, await api.getInstance({ region, instanceId }), raw, inputs.password);
  return { id: formatRegionalId(region, instanceId), outs };
}

/** Instances this process created (not adopted), by regional id. */
const createdHere = new Set<string>();

/**
 * Whether this process created the instance: nothing on it can be left by an earlier, interrupted run, so resources
 * on it need not look for what such a run left (under the dynamic-provider host, one process serves a whole `up`).
 */
export function createdByThisProcess(region: string, instanceId: string): boolean {
  return createdHere.has(formatRegionalId(region, instanceId));
}

/**
 * An instance a previous, interrupted create of this same resource left behind, found by its ownership tag. During a
 * replacement the old instance carries the same tag: it is told apart because it differs in a property that
 * replaces, which is why the resource is being replaced.
 */
async function findOwned(api: RdbApi, inputs: DesiredInstance): Promise<Instance | undefined> {
  const [tag] = ownershipTags(inputs);
  if (tag === undefined) return undefined;
  const { region, projectId } = inputs;
  const candidates = await batchedLookup(
    `rdb-instances ${api.client.config.apiUrl} ${region} ${projectId ?? "(default project)"}`,
    () => api.listAllInstances({ region, tags: [tag] }),
    () => api.listAllInstances({ region, projectId }),
  );
  return candidates.find(
    (instance) =>
      instance.tags.includes(tag) &&
      instance.status !== "deleting" &&
      diffInstance(currentFor(instance, inputs), inputs).replaces.length === 0,
  );
}

/**
 * A clone, or an instance made from a snapshot, by this resource since `sentAtMs`: those take no tags until
 * reconciled, so it is found by its name and creation time.
 */
async function findUntagged(
  api: RdbApi,
  inputs: DesiredInstance,
  sentAtMs: number,
): Promise<Instance | undefined> {
  const candidates = await api.listAllInstances({ region: inputs.region, name: inputs.name });
  return candidates
    .filter(
      (instance) =>
        instance.name === inputs.name &&
        instance.status !== "deleting" &&
        createdSince(instance.createdAt, sentAtMs),
    )
    .sort((a, b) => Date.parse(a.createdAt ?? "") - Date.parse(b.createdAt ?? ""))[0];
}

/**
 * Creates (clones, or makes from a snapshot) the instance once: a create whose answer is lost is found by tag, or by
 * name for a clone or an instance made from a snapshot.
 */
function createNew(api: RdbApi, inputs: DesiredInstance, label: string): Promise<Instance> {
  const describe = (instance: Instance) => formatRegionalId(instance.region, instance.id);
  const source = inputs.cloneFrom ?? inputs.snapshotId;
  if (source) {
    return settleCreate({
      label,
      what: inputs.cloneFrom ? "clone" : "instance from snapshot",
      send: () => sendCreate(api, inputs),
      find: (sentAtMs) => findUntagged(api, inputs, sentAtMs),
      describe,
      resumeKey: `scaleway:DatabaseInstance|${inputs.__identity ?? inputs.name}|${inputs.region}|${source}`,
    });
  }
  return settleCreate({
    label,
    what: "instance",
    send: () => sendCreate(api, inputs),
    find: () => findOwned(api, inputs),
    describe,
  });
}

async function sendCreate(api: RdbApi, inputs: DesiredInstance): Promise<Instance> {
  const region = inputs.region;
  if (inputs.cloneFrom) {
    return api.cloneInstance({
      region,
      instanceId: parseRegionalId(inputs.cloneFrom, region).id,
      name: inputs.name,
      nodeType: inputs.nodeType.toLowerCase(),
    });
  }
  if (inputs.snapshotId) {
    return api.createInstanceFromSnapshot({
      region,
      snapshotId: parseRegionalId(inputs.snapshotId, region).id,
      instanceName: inputs.name,
      nodeType: inputs.nodeType.toLowerCase(),
      isHaCluster: inputs.isHaCluster,
    });
  }
  const endpoints = initEndpoints(inputs);
  return api.createInstance({
    region,
    projectId: inputs.projectId,
    name: inputs.name,
    engine: inputs.engine ?? "",
    userName: inputs.userName,
    password: inputs.password,
    nodeType: inputs.nodeType.toLowerCase(),
    isHaCluster: inputs.isHaCluster,
    disableBackup: inputs.disableBackup,
    tags: [...inputs.tags, ...ownershipTags(inputs)],
    initSettings: toNameValues(inputs.initSettings),
    volumeType: inputs.volumeType,
    ...(inputs.volumeSizeGb !== undefined ? { volumeSize: inputs.volumeSizeGb * GB } : {}),
    ...(inputs.backupSameRegion !== undefined ? { backupSameRegion: inputs.backupSameRegion } : {}),
    encryption: { enabled: inputs.encryptionAtRest },
    ...(endpoints.length > 0 ? { initEndpoints: endpoints } : {}),
  });
}

/**
 * Refuses, before anything is made, a snapshot that cannot give the declared instance: one whose volume is larger
 * than `volumeSizeGb` (volumes only grow).
 */
async function checkSnapshotSource(api: RdbApi, inputs: DesiredInstance, label: string) {
  if (!inputs.snapshotId || inputs.volumeSizeGb === undefined) return;
  const snapshot = await api.getSnapshot({
    region: inputs.region,
    snapshotId: parseRegionalId(inputs.snapshotId, inputs.region).id,
  });
  const snapshotGb = Math.ceil((snapshot.size ?? 0) / GB);
  if (inputs.volumeSizeGb < snapshotGb) {
    throw new Error(
      `${label}: volumeSizeGb ${inputs.volumeSizeGb} is smaller than snapshot ${inputs.snapshotId} (${snapshotGb} GB); ` +
        "an instance made from it starts at the snapshot's size and volumes only grow",
    );
  }
}

/**
 * The engine and node type checked against the region's catalogue: those of a new instance, and those that change
 * (an unchanged value was accepted by the API already, and must not fail once the service stops offering it; nor
 * must the engine an adopted or cloned instance already runs). A value still unknown in a preview is not checked,
 * nor is anything when the catalogue cannot be read.
 */
async function catalogueCheck(olds: Outputs, inputs: Record<string, unknown>): Promise<CheckFailure[]> {
  const region = inputs.region;
  if (typeof region !== "string" || isUnknown(region)) return [];
  const isNew = olds.engine === undefined || olds.region !== region;
  const changed = (key: "engine" | "nodeType") => {
    const value = inputs[key];
    if (typeof value !== "string" || isUnknown(value)) return undefined;
    const old = olds[key];
    return isNew || typeof old !== "string" || old.toLowerCase() !== value.toLowerCase() ? value : undefined;
  };
  const existingEngine =
    inputs.adoptId !== undefined || inputs.cloneFrom !== undefined || inputs.snapshotId !== undefined;
  const values = { engine: changed("engine"), nodeType: changed("nodeType"), existingEngine };
  if (values.engine === undefined && values.nodeType === undefined) return [];
  const catalogue = await catalogueOf(region);
  return catalogue ? catalogueFailures(catalogue, values) : [];
}

/** The snapshot and Private Network an instance uses must be in its region. */
function regionFailures(inputs: Record<string, unknown>): CheckFailure[] {
  const region = inputs.region;
  const network = inputs.privateNetwork as PrivateNetwork | undefined;
  const named = [
    { property: "snapshotId", id: inputs.snapshotId, what: "the snapshot" },
    {
      property: "privateNetwork.privateNetworkId",
      id: network?.privateNetworkId,
      what: "the Private Network",
    },
  ];
  return named.flatMap(({ property, id, what }) => {
    if (typeof id !== "string" || typeof region !== "string" || isUnknown(id) || isUnknown(region)) return [];
    const where = parseRegionalId(id, region).region;
    return where === region
      ? []
      : [{ property, reason: `must be in the instance's region ${region}: ${what} is in ${where}` }];
  });
}

/**
 * The declared Private Network as the API reports it back, so that it compares without a perpetual diff: the bare
 * network UUID in lower case, and `enableIpam` spelled out (true unless a static address is given).
 */
function normalizedPrivateNetwork(network: PrivateNetwork): PrivateNetwork {
  const privateNetworkId = parseRegionalId(network.privateNetworkId, "").id.toLowerCase();
  return network.serviceIp
    ? { privateNetworkId, serviceIp: network.serviceIp, enableIpam: false }
    : { privateNetworkId, enableIpam: true };
}

/** The password in force for an update: the declared one, else the one already set (an output), else a new one. */
function passwordFor(inputs: InstanceInputs, olds: Outputs): string {
  if (inputs.password !== undefined) return inputs.password;
  return typeof olds.password === "string" ? olds.password : generatePassword();
}

export const databaseInstance: ResourceImpl = {
  /**
   * Validates the inputs, then the engine and node type against the service catalogue (GETs only). Fills the
   * defaults, but never a password: one the program does not declare is generated by create and kept as a secret
   * output, since an input made here would be stored in plaintext.
   */
  async check(olds, news) {
    const checked = validateInputs(instanceInputSchema, news);
    const failures = checked.ok
      ? crossFieldFailures(withDefaultVolumeType(checked.inputs))
      : [...checked.failures];
    failures.push(...engineSourceFailures(news));
    if (
      news.projectId === undefined &&
      olds.projectId === undefined &&
      (await defaultProjectId()) === undefined
    ) {
      const reason = "is required: set it, the stack config dbaas:projectId, or SCW_DEFAULT_PROJECT_ID";
      failures.push({ property: "projectId", reason });
    }
    if (!checked.ok) return { failures: onePerProperty(failures) };
    const inputs: Record<string, unknown> = withDefaultVolumeType({ ...checked.inputs });
    inputs.region ??= await defaultRegion();
    failures.push(...regionFailures(inputs));
    failures.push(...(await catalogueCheck(olds, inputs)));
    if (failures.length > 0) return { failures: onePerProperty(failures) };
    if (inputs.name === undefined) {
      inputs.name = inputs.__autoName = stableAutoName(olds, news, autoName);
    }
    if (inputs.privateNetwork !== undefined && !isUnknown(inputs.privateNetwork)) {
      inputs.privateNetwork = normalizedPrivateNetwork(inputs.privateNetwork as PrivateNetwork);
    }
    return { inputs: plainObject(inputs) };
  },

  async diff(_id, olds, news) {
    const { changes, replaces } = diffInstance(olds, news);
    return { changes, replaces, deleteBeforeReplace: false };
  },

  async create(raw) {
    const declared = checkedInputs(instanceInputSchema, raw) as InstanceInputs;
    const inputs: DesiredInstance = { ...declared, password: declared.password ?? generatePassword() };
    const api = await rdbApi();
    const label = labelOf(raw);
    if (inputs.adoptId) {
      const { id } = parseRegionalId(inputs.adoptId, inputs.region);
      console.log(`${label}: adopting existing instance ${id}`);
      return adopt(api, id, inputs, raw);
    }
    const previous = await findOwned(api, inputs);
    if (previous) {
      console.log(`${label}: found instance ${previous.id} left by an interrupted run; adopting it`);
      return adopt(api, previous.id, inputs, raw);
    }
    await checkSnapshotSource(api, inputs, label);
    const created = await createNew(api, inputs, label);
    const id = formatRegionalId(inputs.region, created.id);
    createdHere.add(id);
    console.log(`${label}: created ${id}, waiting for it to be ready`);
    // On failure a generated password is left out of what is recorded: the engine may store these properties before
    // marking secret outputs, and the update that follows sets a new one.
    const properties = plainObject({ ...raw, instanceId: created.id, status: "error" });
    const outs = await finishCreate(
      { message: `${label}: created ${id} but it did not become ready`, id, inputs: raw, properties },
      async () => {
        const ready = await api.waitForInstance(
          { region: inputs.region, instanceId: created.id },
          waitSettings(label, inputs.timeouts, "create"),
        );
        const current = { ...currentFor(ready, inputs), settings: {} };
        const copied = inputs.cloneFrom !== undefined || inputs.snapshotId !== undefined;
        const wrote = await reconcile(api, created.id, current, inputs, copied);
        if (copied) await ensureUser(api, inputs.region, created.id, inputs);
        // The instance the wait returned is current unless the reconcile changed it (a user changes no field of it).
        const live = wrote ? await api.getInstance({ region: inputs.region, instanceId: created.id }) : ready;
        return outputsOf(api, live, raw, inputs.password);
      },
    );
    return { id, outs };
  },

  async read(id, props) {
    const api = await rdbApi();
    const { region, id: instanceId } = parseRegionalId(id);
    const previous = props ?? {};
    const password = typeof previous.password === "string" ? previous.password : undefined;
    const outs = await unlessGone(async () =>
      outputsOf(api, await api.getInstance({ region, instanceId }), previous, password),
    );
    // The API cannot report a password, and one the program never declared must not become a stored input.
    return outs ? readResult(id, instanceInputSchema, outs, ["password"]) : {};
  },

  async update(id, olds, news) {
    const api = await rdbApi();
    const declared = checkedInputs(instanceInputSchema, news) as InstanceInputs;
    const inputs: DesiredInstance = { ...declared, password: passwordFor(declared, olds) };
    const { id: instanceId } = parseRegionalId(id);
    // Reconcile from the live instance, not the old outputs: after a create that failed half-way (or without a
    // refresh) the outputs describe what was wanted, not what is there.
    const live = await api.getInstance({ region: inputs.region, instanceId });
    const managed = new Set([
      ...Object.keys((olds.settings ?? {}) as Settings),
      ...Object.keys(inputs.settings),
    ]);
    const liveSettings = fromNameValues(live.settings.filter((setting) => managed.has(setting.name)));
    const current = liveInputs(live, { ...olds, settings: liveSettings });
    await reconcile(api, instanceId, current, inputs);
    const updated = await api.getInstance({ region: inputs.region, instanceId });
    return { outs: await outputsOf(api, updated, news, inputs.password) };
  },

  async delete(id, props) {
    const api = await rdbApi();
    const { region, id: instanceId } = parseRegionalId(id);
    if (!(await unlessGone(() => api.deleteInstance({ region, instanceId })))) return;
    const timeouts = props.timeouts as InstanceInputs["timeouts"];
    await api.waitForInstanceDeletion(
      { region, instanceId },
      waitSettings(labelOf(props), timeouts, "delete"),
    );
  },
};
