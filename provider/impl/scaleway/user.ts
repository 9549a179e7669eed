// User provider: a user of an RDB instance. Its password, declared or generated once by create, is only ever a
// secret output (a generated one never becomes an input); the password and the admin flag update in place.
import type { z } from "zod";
import { AlreadyExistsError, type User as ApiUser, type RdbApi } from "../../../sdk";
import { checkedInputs, diffByTable } from "../declaration";
import { type Outputs, type ResourceImpl, readResult } from "../resource-impl";
import { settleCreate } from "../settle";
import { finishCreate, formatRegionalId, plainObject, unlessGone } from "../support";
import { rdbApi } from "./clients";
import { generatePassword } from "./instance.declaration";
import { checkNamedPart, formatPartId, instanceRef, parsePartId, writeWhenReady } from "./instance-part";
import { userDeclaration, userInputSchema } from "./user.declaration";

type UserInputs = z.output<typeof userInputSchema>;
type InstanceRef = { region: string; instanceId: string };

const label = (name: unknown) => `scaleway:User ${String(name ?? "")}`;

/** The outputs for `user`, on top of `inputs`; `password` is the one in force, declared or generated. */
function outputsOf(
  instance: InstanceRef,
  user: ApiUser,
  inputs: Outputs,
  password: string | undefined,
): Outputs {
  return plainObject({
    ...inputs,
    instanceId: formatRegionalId(instance.region, instance.instanceId),
    name: user.name,
    isAdmin: user.isAdmin,
    password: password ?? null,
  });
}

async function findUser(api: RdbApi, instance: InstanceRef, name: string) {
  const users = await api.listAllUsers({ ...instance, name });
  return users.find((user) => user.name === name);
}

/** The user as it is now; an error when it is not there (create and update need it). */
async function liveUser(api: RdbApi, instance: InstanceRef, name: string) {
  const user = await findUser(api, instance, name);
  if (!user) throw new Error(`${label(name)}: no user ${name} on instance ${instance.instanceId}`);
  return user;
}

/**
 * Creates the user once. One made by a create whose answer was lost in this run has `password`; one left by a run cut
 * short (found through the marker of that create before anything is sent) has a password nobody kept: it is set.
 */
async function createOnce(api: RdbApi, instance: InstanceRef, inputs: UserInputs, password: string) {
  let sent = false;
  let leftByEarlierRun = false;
  try {
    const made = await settleCreate({
      label: label(inputs.name),
      what: "user",
      send: () => {
        sent = true;
        return writeWhenReady(api, instance, label(inputs.name), () =>
          api.createUser({ ...instance, name: inputs.name, password, isAdmin: inputs.isAdmin }),
        );
      },
      find: () => {
        leftByEarlierRun = !sent;
        return findUser(api, instance, inputs.name);
      },
      describe: (user) => user.name,
      resumeKey: `scaleway:User|${inputs.__identity ?? ""}|${inputs.instanceId}|${inputs.name}`,
    });
    const desired = { isAdmin: inputs.isAdmin, password, passwordInForce: undefined };
    return leftByEarlierRun ? await reconcile(api, instance, made, desired) : made;
  } catch (error) {
    if (!(error instanceof AlreadyExistsError)) throw error;
    const id = formatPartId(inputs.instanceId, [inputs.name]);
    throw new Error(
      `${label(inputs.name)}: user ${inputs.name} already exists on the instance; to manage it, set ` +
        `adoptId: "${id}" (its password is then reset and it is deleted with the resource)`,
    );
  }
}

/** Sets the password and admin flag where they differ from what is in force; sends nothing when nothing does. */
async function reconcile(
  api: RdbApi,
  instance: InstanceRef,
  live: ApiUser,
  desired: { isAdmin: boolean; password: string; passwordInForce: unknown },
): Promise<ApiUser> {
  const patch = {
    ...(desired.password !== desired.passwordInForce ? { password: desired.password } : {}),
    ...(desired.isAdmin !== live.isAdmin ? { isAdmin: desired.isAdmin } : {}),
  };
  if (Object.keys(patch).length === 0) return live;
  return writeWhenReady(api, instance, label(live.name), () =>
    api.updateUser({ ...instance, name: live.name, ...patch }),
  );
}

/** The password in force for an update: the declared one, else the one already set (an output), else a new one. */
function passwordFor(inputs: UserInputs, olds: Outputs): string {
  if (inputs.password !== undefined) return inputs.password;
  return typeof olds.password === "string" ? olds.password : generatePassword();
}

export const user: ResourceImpl = {
  /** Validates and fills defaults, but never a password: an input made here would be stored in plaintext. */
  check: (_olds, news) => checkNamedPart(userInputSchema, news),

  async diff(_id, olds, news) {
    const { changes, replaces } = diffByTable(userDeclaration, olds, news);
    return { changes, replaces };
  },

  async create(raw) {
    const inputs = checkedInputs(userInputSchema, raw);
    const password = inputs.password ?? generatePassword();
    const api = await rdbApi();
    const instance = instanceRef(inputs.instanceId);
    const id = formatPartId(inputs.instanceId, [inputs.name]);
    if (inputs.adoptId) {
      console.log(`${label(inputs.name)}: adopting existing user ${inputs.adoptId}, setting its password`);
      const live = await liveUser(api, instance, inputs.name);
      const desired = { isAdmin: inputs.isAdmin, password, passwordInForce: undefined };
      return { id, outs: outputsOf(instance, await reconcile(api, instance, live, desired), raw, password) };
    }
    await createOnce(api, instance, inputs, password);
    // On failure a generated password is left out of what is recorded: the engine may store these properties before
    // marking secret outputs, and the update that follows sets a new one.
    const live = await finishCreate(
      { message: `${label(inputs.name)}: created but not read back`, id, inputs: raw, properties: raw },
      () => liveUser(api, instance, inputs.name),
    );
    return { id, outs: outputsOf(instance, live, raw, password) };
  },

  async read(id, props) {
    const api = await rdbApi();
    const { region, instanceId, names } = parsePartId(id, 1);
    const live = await unlessGone(() => findUser(api, { region, instanceId }, names[0]));
    if (!live) return {};
    const previous = props ?? {};
    const password = typeof previous.password === "string" ? previous.password : undefined;
    // The API cannot report a password, and one the program never declared must not become a stored input.
    return readResult(id, userInputSchema, outputsOf({ region, instanceId }, live, previous, password), [
      "password",
    ]);
  },

  async update(_id, olds, news) {
    const inputs = checkedInputs(userInputSchema, news);
    const password = passwordFor(inputs, olds);
    const api = await rdbApi();
    const instance = instanceRef(inputs.instanceId);
    // From the live user, not the old outputs: after a create that failed half-way they describe what was wanted.
    const live = await liveUser(api, instance, inputs.name);
    const desired = { isAdmin: inputs.isAdmin, password, passwordInForce: olds.password };
    return { outs: outputsOf(instance, await reconcile(api, instance, live, desired), news, password) };
  },

  async delete(id) {
    const api = await rdbApi();
    const { region, instanceId, names } = parsePartId(id, 1);
    await unlessGone(() =>
      writeWhenReady(api, { region, instanceId }, label(names[0]), () =>
        api.deleteUser({ region, instanceId, name: names[0] }),
      ),
    );
  },
};
