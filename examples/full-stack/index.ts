// Full stack: what a deployment declares next to a Scaleway database instance — its application database, a
// read-write and a read-only user, an ACL, a read replica and a snapshot — with one connection string per user.
// Set the Private Network (`{region}/{uuid}`) first: `pulumi config set privateNetworkId fr-par/<uuid>`.
import * as pulumi from "@pulumi/pulumi";
import { scaleway } from "pulumi-dbaas";

const config = new pulumi.Config();
const privateNetworkId = config.require("privateNetworkId");
const allowedCidr = config.get("allowedCidr") ?? "203.0.113.0/24";

// Snapshots are of block volumes, hence sbs_5k rather than the smallest node's local SSD.
const instance = new scaleway.DatabaseInstance("main", {
  engine: "PostgreSQL-16",
  nodeType: "db-dev-s",
  volumeType: "sbs_5k",
  volumeSizeGb: 10,
  privateNetwork: { privateNetworkId },
  loadBalancer: true,
});

const database = new scaleway.Database("app", { instanceId: instance.id, name: "app" });

const writer = new scaleway.User("writer", { instanceId: instance.id, name: "app_writer" });
const reader = new scaleway.User("reader", { instanceId: instance.id, name: "app_reader" });

new scaleway.Privilege("writer-app", {
  instanceId: instance.id,
  databaseName: database.name,
  userName: writer.name,
  permission: "readwrite",
});
new scaleway.Privilege("reader-app", {
  instanceId: instance.id,
  databaseName: database.name,
  userName: reader.name,
  permission: "readonly",
});

new scaleway.Acl("main-acl", {
  instanceId: instance.id,
  rules: [{ ip: allowedCidr, description: "application network" }],
});

const replica = new scaleway.ReadReplica("main-replica", {
  instanceId: instance.id,
  privateNetwork: { privateNetworkId },
});

const snapshot = new scaleway.Snapshot("main-snapshot", { instanceId: instance.id });

/** The public (load-balancer) endpoint, where the ACL applies and the connection strings point. */
const publicEndpoint = instance.endpoints.apply((endpoints) => {
  const found = endpoints.find((endpoint) => endpoint.kind === "loadBalancer");
  if (!found) throw new Error("the instance has no public endpoint");
  return found;
});

/** The URL shape of the instance's `connectionString`, for `user` on the application database; a secret. */
function connectionString(user: scaleway.User): pulumi.Output<string> {
  return pulumi.secret(
    pulumi
      .all([publicEndpoint, user.name, user.password, database.name])
      .apply(([endpoint, name, password, db]) => {
        const host = endpoint.hostname ?? endpoint.ip;
        const credentials = `${encodeURIComponent(name)}:${encodeURIComponent(password)}`;
        return `postgresql://${credentials}@${host}:${endpoint.port}/${encodeURIComponent(db)}?sslmode=require`;
      }),
  );
}

export const endpoint = publicEndpoint;
export const writerConnectionString = connectionString(writer);
export const readerConnectionString = connectionString(reader);
export const replicaEndpoints = replica.endpoints;
export const snapshotId = snapshot.id;
