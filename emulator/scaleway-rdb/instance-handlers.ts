// Handlers of the RDB instance routes: read the request, call the instance model, render the instance.
import { checkInitEndpoints, EndpointModel } from "./endpoint-model";
import {
  checkCreate,
  checkUpdate,
  INSTANCE_ORDERS,
  type InstanceFilters,
  InstanceModel,
} from "./instance-model";
import { InstanceUpgrades } from "./instance-upgrades";
import { renderCertificate, renderInstance, renderMaintenance, renderMetrics } from "./records";
import { actingOn, type Handler, listPage, ok, requestBody } from "./requests";
import type { RdbStore } from "./store";

function listFilters(query: URLSearchParams): InstanceFilters {
  return {
    name: query.get("name"),
    tags: query
      .getAll("tags")
      .flatMap((value) => value.split(","))
      .filter(Boolean),
    projectId: query.get("project_id"),
    organizationId: query.get("organization_id"),
    onlyPendingMaintenances: query.get("has_maintenances") === "true",
  };
}

function listInstances(store: RdbStore, instances: InstanceModel): Handler {
  return (req) =>
    listPage(store, req, {
      key: "instances",
      orders: INSTANCE_ORDERS,
      find: (caller, order, now) => instances.list(caller, listFilters(req.query), order, now),
      render: renderInstance,
    });
}

export function instanceHandlers(store: RdbStore) {
  const instances = new InstanceModel(store);
  const endpoints = new EndpointModel(store);
  const upgrades = new InstanceUpgrades(store, instances);
  const acting = actingOn(store, async (req) => (await store.pathInstance(req)).instance, renderInstance);
  return {
    list: listInstances(store, instances),
    create: async (req) => {
      const caller = store.caller(req);
      const body = requestBody(req);
      const request = checkCreate(caller, body);
      const initEndpoints = checkInitEndpoints(body);
      const instance = await instances.create(caller, request);
      endpoints.initial(instance, initEndpoints);
      return ok(renderInstance(instance, store.now(), "provisioning"));
    },
    get: acting(() => undefined),
    update: async (req) => {
      const { instance } = await store.pathInstance(req);
      const reconfigures = instances.update(instance, checkUpdate(instance, requestBody(req)));
      return ok(renderInstance(instance, store.now(), reconfigures ? "configuring" : undefined));
    },
    remove: acting((instance) => instances.remove(instance), "deleting"),
    upgrade: async (req) => {
      const { caller, instance } = await store.pathInstance(req);
      const upgraded = await upgrades.upgrade(caller, instance, requestBody(req));
      return "inPlace" in upgraded
        ? ok(renderInstance(upgraded.inPlace, store.now(), "initializing"))
        : ok(renderInstance(upgraded.newInstance, store.now(), "provisioning"));
    },
    clone: async (req) => {
      const { caller, instance } = await store.pathInstance(req);
      const cloned = await instances.clone(caller, instance, requestBody(req));
      return ok(renderInstance(cloned, store.now(), "provisioning"));
    },
    restart: acting((instance) => instances.restart(instance), "restarting"),
    applyMaintenance: async (req) => {
      const { instance } = await store.pathInstance(req);
      return ok(renderMaintenance(instances.applyMaintenance(instance), store.now()));
    },
    certificate: async (req) => {
      const { instance } = await store.pathInstance(req);
      return ok(renderCertificate(instance, await store.data.certificate(instance.id)));
    },
    renewCertificate: async (req) => {
      await instances.renewCertificate((await store.pathInstance(req)).instance);
      return { status: 204 };
    },
    metrics: async (req) => {
      const { instance } = await store.pathInstance(req);
      return ok(renderMetrics(instance, store.now(), req.query.get("metric_name")));
    },
  } satisfies Record<string, Handler>;
}
