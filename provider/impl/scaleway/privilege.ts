// Privilege provider: the permission of one user on one database of an RDB instance, set through PUT /privileges.
// Deleting it sets `none`; `custom` (grants made outside the API) can be recorded but never set.
import type { z } from "zod";
import type { Privilege as ApiPrivilege, RdbApi } from "../../../sdk";
import { checkedInputs, diffByTable } from "../declaration";
import { type Outputs, type ResourceImpl, readResult } from "../resource-impl";
import { formatRegionalId, plainObject, unlessGone } from "../support";
import { checkInputs } from "../validation";
import { qualifyRegionalIds, rdbApi } from "./clients";
import { formatPartId, instanceRef, parsePartId, writeWhenReady } from "./instance-part";
import { privilegeDeclaration, privilegeInputSchema } from "./privilege.declaration";

type PrivilegeInputs = z.output<typeof privilegeInputSchema>;
type InstanceRef = { region: string; instanceId: string };

const label = (databaseName: unknown, userName: unknown) =>
  `scaleway:Privilege ${String(userName ?? "")} on ${String(databaseName ?? "")}`;

function outputsOf(instance: InstanceRef, privilege: ApiPrivilege, inputs: Outputs): Outputs {
  return plainObject({
    ...inputs,
    instanceId: formatRegionalId(instance.region, instance.instanceId),
    databaseName: privilege.databaseName,
    userName: privilege.userName,
    permission: privilege.permission,
  });
}

async function findPrivilege(api: RdbApi, instance: InstanceRef, databaseName: string, userName: string) {
  const privileges = await api.listAllPrivileges({ ...instance, databaseName, userName });
  return privileges.find((p) => p.databaseName === databaseName && p.userName === userName);
}

/** Brings the pair to the declared permission and answers it as it is then. */
async function apply(inputs: PrivilegeInputs): Promise<{ instance: InstanceRef; privilege: ApiPrivilege }> {
  const api = await rdbApi();
  const instance = instanceRef(inputs.instanceId);
  const { databaseName, userName, permission } = inputs;
  const what = label(databaseName, userName);
  if (permission === "custom") {
    const live = await findPrivilege(api, instance, databaseName, userName);
    if (live?.permission !== "custom") {
      throw new Error(
        `${what}: permission custom cannot be set through the API, only recorded: grant it with SQL first ` +
          `(it is ${live?.permission ?? "missing: no such user or database"} now)`,
      );
    }
    return { instance, privilege: live };
  }
  const privilege = await writeWhenReady(api, instance, what, () =>
    api.setPrivilege({ ...instance, databaseName, userName, permission }),
  );
  return { instance, privilege };
}

export const privilege: ResourceImpl = {
  check: (_olds, news) =>
    checkInputs(privilegeInputSchema, news, (inputs, unknownKeys) =>
      qualifyRegionalIds(inputs, ["instanceId"], unknownKeys),
    ),

  async diff(_id, olds, news) {
    const { changes, replaces } = diffByTable(privilegeDeclaration, olds, news);
    return { changes, replaces };
  },

  /** One idempotent PUT: a create whose answer was lost is simply sent again, and nothing can be orphaned. */
  async create(raw) {
    const inputs = checkedInputs(privilegeInputSchema, raw);
    const { instance, privilege: set } = await apply(inputs);
    const id = formatPartId(inputs.instanceId, [inputs.databaseName, inputs.userName]);
    return { id, outs: outputsOf(instance, set, raw) };
  },

  async read(id, props) {
    const api = await rdbApi();
    const { region, instanceId, names } = parsePartId(id, 2);
    const [databaseName, userName] = names;
    const live = await unlessGone(() => findPrivilege(api, { region, instanceId }, databaseName, userName));
    if (!live) return {};
    return readResult(id, privilegeInputSchema, outputsOf({ region, instanceId }, live, props ?? {}));
  },

  async update(_id, _olds, news) {
    const { instance, privilege: set } = await apply(checkedInputs(privilegeInputSchema, news));
    return { outs: outputsOf(instance, set, news) };
  },

  async delete(id) {
    const api = await rdbApi();
    const { region, instanceId, names } = parsePartId(id, 2);
    const [databaseName, userName] = names;
    // A 404: the user, the database or the instance is gone, and the permission with it.
    await unlessGone(() =>
      writeWhenReady(api, { region, instanceId }, label(databaseName, userName), () =>
        api.setPrivilege({ region, instanceId, databaseName, userName, permission: "none" }),
      ),
    );
  },
};
