// Handlers of the RDB read replica and snapshot routes: read the request, call the model, render the replica, the
// snapshot or the instance made from them.
import { copyFilters } from "./copy-lists";
import type { EndpointModel } from "./endpoint-model";
import type { InstanceModel } from "./instance-model";
import { ReadReplicaModel } from "./read-replica-model";
import { renderInstance } from "./records";
import { renderReadReplica } from "./replica-records";
import { type Handler, listPage, ok, requestBody } from "./requests";
import { renderSnapshot, SNAPSHOT_ORDERS, SnapshotModel } from "./snapshot-model";
import type { RdbStore } from "./store";

export function readReplicaHandlers(store: RdbStore, endpoints: EndpointModel, instances: InstanceModel) {
  const replicas = new ReadReplicaModel(store, endpoints, instances);
  const pathReplica = async (req: Parameters<Handler>[0]) => {
    const caller = store.caller(req);
    return { caller, ...(await replicas.find(caller, req.params.readReplicaId)) };
  };
  return {
    create: async (req) => {
      const replica = await replicas.create(store.caller(req), requestBody(req));
      return ok(renderReadReplica(replica, store.now(), "provisioning"));
    },
    get: async (req) => ok(renderReadReplica((await pathReplica(req)).replica, store.now())),
    remove: async (req) => {
      const { replica } = await pathReplica(req);
      await replicas.remove(replica);
      return ok(renderReadReplica(replica, store.now(), "deleting"));
    },
    reset: async (req) => {
      const { replica } = await pathReplica(req);
      requestBody(req);
      replicas.reset(replica);
      return ok(renderReadReplica(replica, store.now(), "initializing"));
    },
    promote: async (req) => {
      const { caller, primary, replica } = await pathReplica(req);
      requestBody(req);
      const promoted = await replicas.promote(caller, primary, replica);
      return ok(renderInstance(promoted, store.now(), "initializing"));
    },
    createEndpoints: async (req) => {
      const { primary, replica } = await pathReplica(req);
      replicas.addEndpoints(primary, replica, requestBody(req));
      return ok(renderReadReplica(replica, store.now(), "configuring"));
    },
  } satisfies Record<string, Handler>;
}

export function snapshotHandlers(store: RdbStore, instances: InstanceModel) {
  const snapshots = new SnapshotModel(store, instances);
  return {
    list: (req) =>
      listPage(store, req, {
        key: "snapshots",
        orders: SNAPSHOT_ORDERS,
        find: (caller, order, now) => snapshots.list(caller, copyFilters(req.query), order, now),
        render: renderSnapshot,
      }),
    create: async (req) => {
      const { instance } = await store.pathInstance(req);
      return ok(renderSnapshot(await snapshots.create(instance, requestBody(req)), store.now(), "creating"));
    },
    get: async (req) => ok(renderSnapshot((await store.pathSnapshot(req)).snapshot, store.now())),
    update: async (req) => {
      const { snapshot } = await store.pathSnapshot(req);
      snapshots.update(snapshot, requestBody(req));
      return ok(renderSnapshot(snapshot, store.now()));
    },
    remove: async (req) => {
      const { snapshot } = await store.pathSnapshot(req);
      await snapshots.remove(snapshot);
      return ok(renderSnapshot(snapshot, store.now(), "deleting"));
    },
    createInstance: async (req) => {
      const { caller, snapshot } = await store.pathSnapshot(req);
      const instance = await snapshots.createInstance(caller, snapshot, requestBody(req));
      return ok(renderInstance(instance, store.now(), "provisioning"));
    },
  } satisfies Record<string, Handler>;
}
