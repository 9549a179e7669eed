// Database provider: a logical database of an RDB instance, created and dropped through the API. Nothing updates in
// place; an existing database is only ever taken over through `adoptId`.
import type { z } from "zod";
import { AlreadyExistsError, type Database as ApiDatabase, type RdbApi } from "../../../sdk";
import { checkedInputs, diffByTable } from "../declaration";
import { type Outputs, type ResourceImpl, readResult } from "../resource-impl";
import { settleCreate } from "../settle";
import { finishCreate, formatRegionalId, plainObject, unlessGone } from "../support";
import { rdbApi } from "./clients";
import { databaseDeclaration, databaseInputSchema } from "./database.declaration";
import { checkNamedPart, formatPartId, instanceRef, parsePartId, writeWhenReady } from "./instance-part";

type DatabaseInputs = z.output<typeof databaseInputSchema>;
type InstanceRef = { region: string; instanceId: string };

const label = (name: unknown) => `scaleway:Database ${String(name ?? "")}`;

function outputsOf(instance: InstanceRef, database: ApiDatabase, inputs: Outputs): Outputs {
  return plainObject({
    ...inputs,
    instanceId: formatRegionalId(instance.region, instance.instanceId),
    name: database.name,
    owner: database.owner,
    managed: database.managed,
    size: database.size,
  });
}

async function findDatabase(api: RdbApi, instance: InstanceRef, name: string) {
  const databases = await api.listAllDatabases({ ...instance, name });
  return databases.find((database) => database.name === name);
}

/** The database as it is now; an error when it is not there (create and update need it). */
async function liveDatabase(api: RdbApi, instance: InstanceRef, name: string) {
  const database = await findDatabase(api, instance, name);
  if (!database) throw new Error(`${label(name)}: no database ${name} on instance ${instance.instanceId}`);
  return database;
}

async function createOnce(api: RdbApi, instance: InstanceRef, inputs: DatabaseInputs) {
  try {
    return await settleCreate({
      label: label(inputs.name),
      what: "database",
      send: () =>
        writeWhenReady(api, instance, label(inputs.name), () =>
          api.createDatabase({ ...instance, name: inputs.name }),
        ),
      find: () => findDatabase(api, instance, inputs.name),
      describe: (database) => database.name,
      // Databases take no tags: a create cut short by the end of the run is found again by its name, through the
      // marker that says a create of this resource was under way.
      resumeKey: `scaleway:Database|${inputs.__identity ?? ""}|${inputs.instanceId}|${inputs.name}`,
    });
  } catch (error) {
    if (!(error instanceof AlreadyExistsError)) throw error;
    const id = formatPartId(inputs.instanceId, [inputs.name]);
    throw new Error(
      `${label(inputs.name)}: database ${inputs.name} already exists on the instance; to manage it, set ` +
        `adoptId: "${id}" (it is then dropped when the resource is deleted)`,
    );
  }
}

export const database: ResourceImpl = {
  check: (_olds, news) => checkNamedPart(databaseInputSchema, news),

  async diff(_id, olds, news) {
    const { changes, replaces } = diffByTable(databaseDeclaration, olds, news);
    return { changes, replaces };
  },

  async create(raw) {
    const inputs = checkedInputs(databaseInputSchema, raw);
    const api = await rdbApi();
    const instance = instanceRef(inputs.instanceId);
    const id = formatPartId(inputs.instanceId, [inputs.name]);
    if (inputs.adoptId) {
      console.log(`${label(inputs.name)}: adopting existing database ${inputs.adoptId}`);
      return { id, outs: outputsOf(instance, await liveDatabase(api, instance, inputs.name), raw) };
    }
    await createOnce(api, instance, inputs);
    const live = await finishCreate(
      { message: `${label(inputs.name)}: created but not read back`, id, inputs: raw, properties: raw },
      () => liveDatabase(api, instance, inputs.name),
    );
    return { id, outs: outputsOf(instance, live, raw) };
  },

  async read(id, props) {
    const api = await rdbApi();
    const { region, instanceId, names } = parsePartId(id, 1);
    const live = await unlessGone(() => findDatabase(api, { region, instanceId }, names[0]));
    if (!live) return {};
    return readResult(id, databaseInputSchema, outputsOf({ region, instanceId }, live, props ?? {}));
  },

  /** Only reached after a create that failed half-way: every declared input replaces. */
  async update(_id, _olds, news) {
    const inputs = checkedInputs(databaseInputSchema, news);
    const api = await rdbApi();
    const instance = instanceRef(inputs.instanceId);
    return { outs: outputsOf(instance, await liveDatabase(api, instance, inputs.name), news) };
  },

  async delete(id) {
    const api = await rdbApi();
    const { region, instanceId, names } = parsePartId(id, 1);
    await unlessGone(() =>
      writeWhenReady(api, { region, instanceId }, label(names[0]), () =>
        api.deleteDatabase({ region, instanceId, name: names[0] }),
      ),
    );
  },
};
