// The ACL of an RDB instance: one list of rules per instance, one rule per network (CIDR), opening the port of the
// public endpoint. Every change needs a ready instance and keeps it `configuring` a while, as on the real service. On
// the real data plane the endpoint's proxy cuts off the clients the rules do not cover (postgres/proxy.ts).
import { InvalidArguments } from "../scaleway-wire";
import { isCidr } from "./endpoint-model";
import { type AclRuleRecord, type InstanceRecord, listedEndpoints } from "./records";
import type { RdbStore } from "./store";
import { objectBody, Problems } from "./validation";

/** What the API says of a rule sent without a description. */
const DEFAULT_DESCRIPTION = "IP allowed";

/** A new instance lets any address reach its public endpoint until its ACL is set. */
const OPEN_TO_ALL: AclRuleRecord[] = [{ ip: "0.0.0.0/0", description: DEFAULT_DESCRIPTION }];

/** Enough for every rule a client may reasonably send; the real service caps the ACL too. */
const MAX_RULES = 100;

export function aclRules(instance: InstanceRecord): AclRuleRecord[] {
  return instance.acl_rules ?? OPEN_TO_ALL;
}

/** A rule as the API answers it: the port is the public endpoint's (null without one). */
export function renderAclRule(instance: InstanceRecord, rule: AclRuleRecord, now: number): object {
  const publicEndpoint = listedEndpoints(instance, now, true).find(
    (endpoint) => endpoint.kind === "load_balancer",
  );
  return {
    action: "allow",
    description: rule.description,
    direction: "inbound",
    ip: rule.ip,
    port: publicEndpoint?.port ?? null,
    protocol: "tcp",
  };
}

/** The `rules` of a set or an add: each a CIDR with an optional description, no network twice. */
function checkRules(body: Record<string, unknown>): AclRuleRecord[] {
  const problems = new Problems();
  const raw = body.rules;
  if (!Array.isArray(raw)) {
    throw InvalidArguments.constraint("rules", "rules is required (a list of {ip, description})");
  }
  const rules = raw.flatMap((item, index): AclRuleRecord[] => {
    const rule = objectBody(item);
    const ip = rule ? problems.optionalString(rule, "ip") : undefined;
    if (!rule || ip === undefined || !isCidr(ip)) {
      problems.add(
        `rules.${index}.ip`,
        "format",
        "must be an IPv4 network in CIDR notation, e.g. 1.2.3.4/32",
      );
      return [];
    }
    return [{ ip, description: problems.optionalString(rule, "description") || DEFAULT_DESCRIPTION }];
  });
  const ips = rules.map((rule) => rule.ip);
  if (new Set(ips).size !== ips.length) problems.add("rules", "constraint", "each network may appear once");
  if (rules.length > MAX_RULES) problems.add("rules", "constraint", `at most ${MAX_RULES} rules`);
  if (!problems.empty) throw new InvalidArguments(problems.list);
  return rules;
}

export class AclModel {
  constructor(private readonly store: RdbStore) {}

  private apply(instance: InstanceRecord, rules: AclRuleRecord[]): void {
    this.store.requireReady(instance);
    instance.acl_rules = rules;
    const networks = rules.map((rule) => rule.ip);
    this.store.busyWhile(instance, "configuring", "aclConfigure", () =>
      this.store.data.setAcl(instance.id, networks),
    );
  }

  /** Replaces the ACL; answers the new rules. */
  set(instance: InstanceRecord, body: Record<string, unknown>): AclRuleRecord[] {
    const rules = checkRules(body);
    this.apply(instance, rules);
    return rules;
  }

  /** Adds rules (a network already listed gets the new description); answers the rules added. */
  add(instance: InstanceRecord, body: Record<string, unknown>): AclRuleRecord[] {
    const rules = checkRules(body);
    const kept = aclRules(instance).filter((current) => !rules.some((rule) => rule.ip === current.ip));
    if (kept.length + rules.length > MAX_RULES) {
      throw InvalidArguments.constraint("rules", `an instance has at most ${MAX_RULES} rules`);
    }
    this.apply(instance, [...kept, ...rules]);
    return rules;
  }

  /** Removes the rules of the given networks, which must all be listed; answers the rules removed. */
  remove(instance: InstanceRecord, body: Record<string, unknown>): AclRuleRecord[] {
    const problems = new Problems();
    const ips = problems.optionalStringList(body, "acl_rule_ips") ?? [];
    if (ips.length === 0) problems.add("acl_rule_ips", "required", "acl_rule_ips is required");
    const current = aclRules(instance);
    for (const ip of ips) {
      if (!isCidr(ip))
        problems.add("acl_rule_ips", "format", `${ip} is not an IPv4 network in CIDR notation`);
      else if (!current.some((rule) => rule.ip === ip)) {
        problems.add("acl_rule_ips", "constraint", `the instance has no rule for ${ip}`);
      }
    }
    if (!problems.empty) throw new InvalidArguments(problems.list);
    this.apply(
      instance,
      current.filter((rule) => !ips.includes(rule.ip)),
    );
    return current.filter((rule) => ips.includes(rule.ip));
  }
}
