// ReadReplica provider: a read replica of an RDB instance and its direct-access and Private Network endpoints, which
// change in place (old endpoint removed, new one added) as Terraform's scaleway_rdb_read_replica changes them.
import type { z } from "zod";
import type { Endpoint, RdbApi, ReadReplica, ReadReplicaEndpointSpec } from "../../../sdk";
import { checkedInputs, diffByTable, sameValue } from "../declaration";
import { identityName, type Outputs, type ResourceImpl, readResult } from "../resource-impl";
import { settleCreate } from "../settle";
import {
  finishCreate,
  formatRegionalId,
  parseRegionalId,
  plainObject,
  progressReporter,
  type Timeouts,
  timeoutMs,
  unlessGone,
} from "../support";
import { validateInputs } from "../validation";
import { defaultRegion, qualifyRegionalIds, rdbApi } from "./clients";
import { readReplicaDeclaration, readReplicaInputSchema } from "./read-replica.declaration";

const DEFAULT_TIMEOUT_MS = 30 * 60_000;

type ReplicaInputs = z.output<typeof readReplicaInputSchema>;

interface PrivateNetwork {
  privateNetworkId: string;
  serviceIp?: string;
  enableIpam: boolean;
}

const label = (inputs: Outputs) => `scaleway:ReadReplica ${identityName(inputs.__identity)}`;

/** The Private Network as `check` stores it: the bare network UUID, and whether IPAM picks the address. */
function canonicalPrivateNetwork(network: {
  privateNetworkId: string;
  serviceIp?: string;
  enableIpam?: boolean;
}): PrivateNetwork {
  return {
    privateNetworkId: network.privateNetworkId.slice(network.privateNetworkId.indexOf("/") + 1).toLowerCase(),
    ...(network.serviceIp === undefined ? {} : { serviceIp: network.serviceIp }),
    enableIpam: network.serviceIp === undefined,
  };
}

/** The endpoints to ask for: direct access and/or the Private Network, as the inputs say. */
function endpointSpecs(inputs: {
  directAccess?: boolean;
  privateNetwork?: { privateNetworkId: string; serviceIp?: string } | null;
}) {
  const specs: ReadReplicaEndpointSpec[] = [];
  if (inputs.directAccess) specs.push({ directAccess: {} });
  const network = inputs.privateNetwork;
  if (network) {
    specs.push({
      privateNetwork: {
        privateNetworkId: network.privateNetworkId,
        ...(network.serviceIp === undefined ? { ipamConfig: {} } : { serviceIp: network.serviceIp }),
      },
    });
  }
  return specs;
}

const kindOf = (endpoint: Endpoint) =>
  endpoint.directAccess ? "directAccess" : endpoint.privateNetwork ? "privateNetwork" : "loadBalancer";

/** The replica's Private Network endpoint as an input: its address counts only when it was asked for (static). */
function privateNetworkOf(replica: ReadReplica): PrivateNetwork | null {
  const network = replica.endpoints.find((endpoint) => endpoint.privateNetwork)?.privateNetwork;
  if (!network) return null;
  const isStatic = network.provisioningMode === "static";
  return {
    privateNetworkId: network.privateNetworkId,
    ...(isStatic && network.serviceIp ? { serviceIp: network.serviceIp } : {}),
    enableIpam: !isStatic,
  };
}

function outputsOf(replica: ReadReplica, previous: Outputs): Outputs {
  return plainObject({
    ...previous,
    instanceId: formatRegionalId(replica.region, replica.instanceId),
    sameZone: replica.sameZone,
    directAccess: replica.endpoints.some((endpoint) => endpoint.directAccess),
    privateNetwork: privateNetworkOf(replica),
    readReplicaId: replica.id,
    status: replica.status,
    endpoints: replica.endpoints.map((endpoint) => ({
      id: endpoint.id,
      kind: kindOf(endpoint),
      ip: endpoint.ip ?? null,
      hostname: endpoint.hostname ?? null,
      port: endpoint.port,
      name: endpoint.name,
      privateNetworkId: endpoint.privateNetwork?.privateNetworkId ?? null,
      serviceIp: endpoint.privateNetwork?.serviceIp ?? null,
    })),
    region: replica.region,
  });
}

function waitForReplica(
  api: RdbApi,
  region: string,
  readReplicaId: string,
  deadlineMs: number,
  name: string,
) {
  return api.waitForReadReplica(
    { region, readReplicaId },
    { deadlineMs, onProgress: progressReporter(name) },
  );
}

/**
 * Creates the replica once. A create whose answer was lost is found among the primary's replicas as one that was
 * not there before the send, in the same zone placement (replicas carry neither tags nor names, so two replicas of
 * one primary created at the same moment by one program cannot be told apart: declare them with `dependsOn`).
 */
async function createOnce(
  api: RdbApi,
  region: string,
  instanceId: string,
  inputs: ReplicaInputs,
  name: string,
) {
  const primary = await api.waitForInstance({ region, instanceId }, { onProgress: progressReporter(name) });
  const before = new Set(primary.readReplicas.map((replica) => replica.id));
  return settleCreate({
    label: name,
    what: "read replica",
    send: () =>
      api.createReadReplica({
        region,
        instanceId,
        sameZone: inputs.sameZone,
        endpointSpec: endpointSpecs(inputs),
      }),
    find: async () => {
      const now = await api.getInstance({ region, instanceId });
      return now.readReplicas.find(
        (replica) =>
          !before.has(replica.id) && replica.sameZone === inputs.sameZone && replica.status !== "deleting",
      );
    },
    describe: (replica) => formatRegionalId(region, replica.id),
  });
}

/** Replaces the endpoints of each kind whose input changed: the old one removed first, then the new ones added. */
async function updateEndpoints(
  api: RdbApi,
  region: string,
  replicaId: string,
  olds: Outputs,
  inputs: ReplicaInputs,
  deadlineMs: number,
  name: string,
) {
  let replica = await waitForReplica(api, region, replicaId, deadlineMs, name);
  const directChanged = (olds.directAccess ?? false) !== (inputs.directAccess ?? false);
  const networkChanged = !sameValue(
    readReplicaDeclaration.inputs.privateNetwork,
    olds.privateNetwork ?? null,
    inputs.privateNetwork ?? null,
  );
  const stale = replica.endpoints.filter(
    (endpoint) => (directChanged && endpoint.directAccess) || (networkChanged && endpoint.privateNetwork),
  );
  for (const endpoint of stale) {
    console.log(`${name}: removing its ${kindOf(endpoint)} endpoint ${endpoint.id}`);
    await api.deleteEndpoint({ region, endpointId: endpoint.id });
    replica = await waitForReplica(api, region, replicaId, deadlineMs, name);
  }
  const wanted = endpointSpecs({
    directAccess: directChanged && inputs.directAccess,
    privateNetwork: networkChanged ? inputs.privateNetwork : undefined,
  });
  if (wanted.length === 0) return replica;
  await api.createReadReplicaEndpoint({ region, readReplicaId: replicaId, endpointSpec: wanted });
  return waitForReplica(api, region, replicaId, deadlineMs, name);
}

export const readReplica: ResourceImpl = {
  async check(_olds, news) {
    const checked = validateInputs(readReplicaInputSchema, news);
    if (!checked.ok) return { failures: checked.failures };
    const inputs: Record<string, unknown> = { ...checked.inputs };
    const unknown = (key: string) => checked.unknownKeys.includes(key);
    const network = checked.inputs.privateNetwork;
    if (network && !unknown("privateNetwork")) {
      const instanceId = checked.inputs.instanceId;
      const region = unknown("instanceId")
        ? undefined
        : instanceId.includes("/")
          ? instanceId.split("/")[0]
          : await defaultRegion();
      const networkRegion = network.privateNetworkId.includes("/")
        ? network.privateNetworkId.split("/")[0]
        : undefined;
      if (region !== undefined && networkRegion !== undefined && networkRegion !== region) {
        return {
          failures: [
            {
              property: "privateNetwork",
              reason: `must be a Private Network of the instance's region (${region}), not ${networkRegion}`,
            },
          ],
        };
      }
      inputs.privateNetwork = canonicalPrivateNetwork(network);
    }
    if (checked.inputs.directAccess === undefined && !unknown("privateNetwork") && !unknown("directAccess")) {
      inputs.directAccess = network === undefined;
    }
    if (inputs.directAccess === false && network === undefined && !unknown("privateNetwork")) {
      return {
        failures: [
          {
            property: "directAccess",
            reason: "a read replica needs an endpoint: set directAccess: true or privateNetwork",
          },
        ],
      };
    }
    await qualifyRegionalIds(inputs, ["instanceId"], checked.unknownKeys);
    return { inputs: plainObject(inputs) };
  },

  async diff(_id, olds, news) {
    const { changes, replaces } = diffByTable(readReplicaDeclaration, olds, news);
    return { changes, replaces };
  },

  async create(raw) {
    const inputs = checkedInputs(readReplicaInputSchema, raw);
    const api = await rdbApi();
    const { region, id: instanceId } = parseRegionalId(inputs.instanceId);
    const name = label(raw);
    if (inputs.adoptId) {
      const { id: replicaId } = parseRegionalId(inputs.adoptId, region);
      console.log(`${name}: adopting existing read replica ${replicaId}`);
      const id = formatRegionalId(region, replicaId);
      const current = outputsOf(await api.getReadReplica({ region, readReplicaId: replicaId }), {});
      return { id, outs: (await readReplica.update(id, current, raw)).outs };
    }
    const created = await createOnce(api, region, instanceId, inputs, name);
    const id = formatRegionalId(region, created.id);
    const deadlineMs = timeoutMs(inputs.timeouts as Timeouts | undefined, "create", DEFAULT_TIMEOUT_MS);
    const properties = plainObject({ ...raw, readReplicaId: created.id, status: "error" });
    const replica = await finishCreate(
      { message: `${name}: created but not ready`, id, inputs: raw, properties },
      () => waitForReplica(api, region, created.id, deadlineMs, name),
    );
    return { id, outs: outputsOf(replica, raw) };
  },

  async read(id, props) {
    const api = await rdbApi();
    const { region, id: readReplicaId } = parseRegionalId(id);
    const replica = await unlessGone(() => api.getReadReplica({ region, readReplicaId }));
    return replica ? readResult(id, readReplicaInputSchema, outputsOf(replica, props ?? {})) : {};
  },

  async update(id, olds, news) {
    const inputs = checkedInputs(readReplicaInputSchema, news);
    const api = await rdbApi();
    const { region, id: replicaId } = parseRegionalId(id);
    const deadlineMs = timeoutMs(inputs.timeouts as Timeouts | undefined, "update", DEFAULT_TIMEOUT_MS);
    const replica = await updateEndpoints(api, region, replicaId, olds, inputs, deadlineMs, label(news));
    return { outs: outputsOf(replica, news) };
  },

  async delete(id, props) {
    const api = await rdbApi();
    const { region, id: readReplicaId } = parseRegionalId(id);
    const name = label(props);
    const deadlineMs = timeoutMs(props.timeouts as Timeouts | undefined, "delete", DEFAULT_TIMEOUT_MS);
    const deleting = await unlessGone(async () => {
      await waitForReplica(api, region, readReplicaId, deadlineMs, name);
      return api.deleteReadReplica({ region, readReplicaId });
    });
    if (!deleting) return;
    await api.waitForReadReplicaDeletion(
      { region, readReplicaId },
      { deadlineMs, onProgress: progressReporter(name) },
    );
  },
};
