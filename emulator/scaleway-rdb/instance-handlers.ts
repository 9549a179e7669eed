// Handlers of the RDB instance routes: read the request, call the instance model, render the instance.
import { orderNamed, pageOf, readPaging } from "../scaleway-wire";
import {
  checkCreate,
  checkUpdate,
  INSTANCE_ORDERS,
  type InstanceFilters,
  InstanceModel,
} from "./instance-model";
import { InstanceUpgrades } from "./instance-upgrades";
import { renderCertificate, renderInstance, renderMaintenance, renderMetrics } from "./records";
import { type Handler, ok, pathInstance, requestBody } from "./requests";
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

export function instanceHandlers(store: RdbStore) {
  const instances = new InstanceModel(store);
  const upgrades = new InstanceUpgrades(store, instances);
  return {
    list: async (req) => {
      const caller = store.caller(req);
      const paging = readPaging(req);
      const order = orderNamed(INSTANCE_ORDERS, req.query.get("order_by") ?? "created_at_asc");
      const now = store.now();
      const matching = await instances.list(caller, listFilters(req.query), order, now);
      return pageOf(
        "instances",
        matching.map((instance) => renderInstance(instance, now)),
        paging,
      );
    },
    create: async (req) => {
      const caller = store.caller(req);
      const instance = await instances.create(caller, checkCreate(caller, requestBody(req)));
      return ok(renderInstance(instance, store.now(), "provisioning"));
    },
    get: async (req) => {
      const { instance } = await pathInstance(store, req);
      return ok(renderInstance(instance, store.now()));
    },
    update: async (req) => {
      const { instance } = await pathInstance(store, req);
      const reconfigures = instances.update(instance, checkUpdate(instance, requestBody(req)));
      return ok(renderInstance(instance, store.now(), reconfigures ? "configuring" : undefined));
    },
    remove: async (req) => {
      const { instance } = await pathInstance(store, req);
      instances.remove(instance);
      return ok(renderInstance(instance, store.now(), "deleting"));
    },
    upgrade: async (req) => {
      const { caller, instance } = await pathInstance(store, req);
      const upgraded = await upgrades.upgrade(caller, instance, requestBody(req));
      return "inPlace" in upgraded
        ? ok(renderInstance(upgraded.inPlace, store.now(), "initializing"))
        : ok(renderInstance(upgraded.newInstance, store.now(), "provisioning"));
    },
    clone: async (req) => {
      const { caller, instance } = await pathInstance(store, req);
      const cloned = await instances.clone(caller, instance, requestBody(req));
      return ok(renderInstance(cloned, store.now(), "provisioning"));
    },
    restart: async (req) => {
      const { instance } = await pathInstance(store, req);
      instances.restart(instance);
      return ok(renderInstance(instance, store.now(), "restarting"));
    },
    applyMaintenance: async (req) => {
      const { instance } = await pathInstance(store, req);
      return ok(renderMaintenance(instances.applyMaintenance(instance), store.now()));
    },
    certificate: async (req) => {
      const { instance } = await pathInstance(store, req);
      return ok(renderCertificate(instance));
    },
    renewCertificate: async (req) => {
      const { instance } = await pathInstance(store, req);
      instances.renewCertificate(instance);
      return { status: 204 };
    },
    metrics: async (req) => {
      const { instance } = await pathInstance(store, req);
      return ok(renderMetrics(instance, store.now(), req.query.get("metric_name")));
    },
  } satisfies Record<string, Handler>;
}
