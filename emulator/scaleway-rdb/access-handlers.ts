// Handlers of the routes that control who reaches an RDB instance and what they may do: ACL rules, privileges and
// endpoints. Each reads the request, calls its model, renders what the model returns.
import type { EmulatorResponse } from "../framework";
import { pageOf, readPaging } from "../scaleway-wire";
import { AclModel, aclRules, renderAclRule } from "./acl-model";
import type { EndpointModel } from "./endpoint-model";
import { renderEndpoint } from "./endpoint-records";
import { PrivilegeModel } from "./privilege-model";
import type { AclRuleRecord, InstanceRecord } from "./records";
import { type Handler, ok, requestBody } from "./requests";
import type { RdbStore } from "./store";

/** What POST /endpoints answers: the endpoint it starts setting up is not there yet. */
const PENDING_ENDPOINT = { id: "", name: null, port: 0 };

export function accessHandlers(store: RdbStore, endpoints: EndpointModel) {
  const acls = new AclModel(store);
  const privileges = new PrivilegeModel(store);
  const renderRules = (instance: InstanceRecord, rules: AclRuleRecord[]) =>
    rules.map((rule) => renderAclRule(instance, rule, store.now()));
  const writeAcl = (write: (instance: InstanceRecord, body: Record<string, unknown>) => AclRuleRecord[]) => {
    const handler: Handler = async (req) => {
      const { instance } = await store.pathInstance(req);
      return ok({ rules: renderRules(instance, write(instance, requestBody(req))) });
    };
    return handler;
  };
  return {
    listAcls: async (req) => {
      const { instance } = await store.pathInstance(req);
      return pageOf("rules", renderRules(instance, aclRules(instance)), readPaging(req));
    },
    setAcls: writeAcl((instance, body) => acls.set(instance, body)),
    addAcls: writeAcl((instance, body) => acls.add(instance, body)),
    deleteAcls: writeAcl((instance, body) => acls.remove(instance, body)),
    listPrivileges: async (req) => {
      const { instance } = await store.pathInstance(req);
      const paging = readPaging(req);
      const filters = {
        databaseName: req.query.get("database_name"),
        userName: req.query.get("user_name"),
        orderBy: req.query.get("order_by") ?? "user_name_asc",
      };
      return pageOf("privileges", await privileges.list(instance, filters), paging);
    },
    setPrivilege: async (req) => {
      const { instance } = await store.pathInstance(req);
      return ok(await privileges.set(instance, requestBody(req)));
    },
    createEndpoint: async (req) => {
      const { instance } = await store.pathInstance(req);
      endpoints.add(instance, requestBody(req));
      return ok(PENDING_ENDPOINT);
    },
    getEndpoint: async (req) => {
      const { endpoint } = await endpoints.find(store.caller(req), req.params.endpointId);
      return ok(renderEndpoint(endpoint));
    },
    deleteEndpoint: async (req): Promise<EmulatorResponse> => {
      await endpoints.remove(store.caller(req), req.params.endpointId);
      return { status: 204 };
    },
    migrateEndpoint: async (req) => {
      const moved = await endpoints.migrate(store.caller(req), req.params.endpointId, requestBody(req));
      return ok(renderEndpoint(moved));
    },
  } satisfies Record<string, Handler>;
}
