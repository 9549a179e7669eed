// Acl provider: the whole ACL of an RDB instance, set at once (PUT) as Terraform's scaleway_rdb_acl does. Its id is
// the instance's id; delete removes every rule (see the declaration for why it does not reopen 0.0.0.0/0).
import type { AclRule as ApiAclRule, RdbApi } from "../../../sdk";
import { checkedInputs, diffByTable } from "../declaration";
import { type Outputs, type ResourceImpl, readResult } from "../resource-impl";
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
import { type CheckFailure, validateInputs } from "../validation";
import { aclDeclaration, aclInputSchema } from "./acl.declaration";
import { qualifyRegionalIds, rdbApi } from "./clients";
import { canonicalIpv4Network, parseIpv4Network } from "./common-schemas";

const DEFAULT_TIMEOUT_MS = 30 * 60_000;

interface Rule {
  ip: string;
  description?: string;
}

const label = (instanceId: string) => `scaleway:Acl ${instanceId}`;

/** Rules in one order whatever order they were written or listed in: by network address, then prefix. */
function sortedRules<T extends Rule>(rules: T[]): T[] {
  const key = (rule: Rule) => {
    const network = parseIpv4Network(rule.ip);
    return network ? network.address * 64 + network.prefix : Number.MAX_SAFE_INTEGER;
  };
  return [...rules].sort((a, b) => key(a) - key(b));
}

/**
 * The rules as `check` stores them: networks written as the API stores them, sorted, so that neither the spelling
 * nor the order of the program's list makes a diff; an empty description is left out. A network listed twice is one failure on its second entry.
 */
function canonicalRules(rules: Rule[]): { rules: Rule[]; failures: CheckFailure[] } {
  const firstIndex = new Map<string, number>();
  const failures: CheckFailure[] = [];
  const canonical = rules.map((rule, index) => {
    const ip = canonicalIpv4Network(rule.ip);
    const earlier = firstIndex.get(ip);
    if (earlier === undefined) firstIndex.set(ip, index);
    else {
      failures.push({
        property: `rules[${index}].ip`,
        reason: `repeats the network of rules[${earlier}] (${ip}); each network may appear once`,
      });
    }
    // The API answers an empty description with its default text: empty is the same as unset.
    return rule.description ? { ip, description: rule.description } : { ip };
  });
  return { rules: sortedRules(canonical), failures };
}

/**
 * The outputs for the live rules, on top of `previous` (the inputs, or the previous outputs on read). A rule whose
 * description the program left unset shows without one, so the API's default text is not a change.
 */
function outputsOf(region: string, instanceId: string, live: ApiAclRule[], previous: Outputs): Outputs {
  const declared = new Map(
    (Array.isArray(previous.rules) ? (previous.rules as unknown as Rule[]) : []).map((rule) => [
      rule.ip,
      rule,
    ]),
  );
  const rules = sortedRules(
    live.map((rule) => {
      const ip = canonicalIpv4Network(rule.ip);
      const mine = declared.get(ip);
      return mine && mine.description === undefined ? { ip } : { ip, description: rule.description };
    }),
  );
  return plainObject({ ...previous, instanceId: formatRegionalId(region, instanceId), rules, region });
}

async function waitForInstance(api: RdbApi, region: string, instanceId: string, deadlineMs: number) {
  return api.waitForInstance(
    { region, instanceId },
    { deadlineMs, onProgress: progressReporter(label(instanceId)) },
  );
}

/** Sets the ACL once the instance is ready and waits for the instance to be done `configuring`. */
async function apply(id: string, inputs: Outputs, op: "create" | "update"): Promise<Outputs> {
  const api = await rdbApi();
  const { region, id: instanceId } = parseRegionalId(id);
  const deadlineMs = timeoutMs(inputs.timeouts as Timeouts | undefined, op, DEFAULT_TIMEOUT_MS);
  const rules = (inputs.rules as unknown as Rule[]).map((rule) => ({
    ip: rule.ip,
    ...(rule.description === undefined ? {} : { description: rule.description }),
  }));
  await waitForInstance(api, region, instanceId, deadlineMs);
  await api.setInstanceAclRules({ region, instanceId, rules });
  const settled = () => waitForInstance(api, region, instanceId, deadlineMs);
  if (op === "update") await settled();
  else {
    const record = { message: `${label(instanceId)}: set, but the instance did not settle`, id, inputs };
    await finishCreate({ ...record, properties: { ...inputs, region } }, settled);
  }
  const live = await api.listAllInstanceAclRules({ region, instanceId });
  return outputsOf(region, instanceId, live, inputs);
}

export const acl: ResourceImpl = {
  async check(_olds, news) {
    const checked = validateInputs(aclInputSchema, news);
    if (!checked.ok) return { failures: checked.failures };
    const inputs: Record<string, unknown> = { ...checked.inputs };
    if (!checked.unknownKeys.includes("rules")) {
      const { rules, failures } = canonicalRules(checked.inputs.rules);
      if (failures.length > 0) return { failures };
      inputs.rules = rules;
    }
    await qualifyRegionalIds(inputs, ["instanceId"], checked.unknownKeys);
    return { inputs: plainObject(inputs) };
  },

  async diff(_id, olds, news) {
    const { changes, replaces } = diffByTable(aclDeclaration, olds, news);
    return { changes, replaces };
  },

  async create(raw) {
    const inputs = checkedInputs(aclInputSchema, raw);
    const { region, id: instanceId } = parseRegionalId(inputs.instanceId);
    const id = formatRegionalId(region, instanceId);
    return { id, outs: await apply(id, raw, "create") };
  },

  async read(id, props) {
    const api = await rdbApi();
    const { region, id: instanceId } = parseRegionalId(id);
    const live = await unlessGone(() => api.listAllInstanceAclRules({ region, instanceId }));
    return live ? readResult(id, aclInputSchema, outputsOf(region, instanceId, live, props ?? {})) : {};
  },

  async update(id, _olds, news) {
    return { outs: await apply(id, news, "update") };
  },

  async delete(id, props) {
    const api = await rdbApi();
    const { region, id: instanceId } = parseRegionalId(id);
    const deadlineMs = timeoutMs(props.timeouts as Timeouts | undefined, "delete", DEFAULT_TIMEOUT_MS);
    await unlessGone(async () => {
      await waitForInstance(api, region, instanceId, deadlineMs);
      const live = await api.listAllInstanceAclRules({ region, instanceId });
      if (live.length === 0) return;
      await api.deleteInstanceAclRules({ region, instanceId, aclRuleIps: live.map((rule) => rule.ip) });
      await waitForInstance(api, region, instanceId, deadlineMs);
      console.log(`${label(instanceId)}: removed every rule; the public endpoint now refuses every address`);
    });
  },
};
