// What the privileges, ACL, snapshot and read replica endpoints do on the real data plane: a privilege is a real
// grant, an ACL that leaves out 127.0.0.1 cuts the endpoint off, an instance made from a snapshot has its rows, and
// a read replica is a streaming standby that serves the primary's rows and refuses writes.
import { ADMIN, describeWithPostgres, type Json, psql, RealEmulator } from "./real-plane-helpers";

jest.setTimeout(60_000);

describeWithPostgres("the real data plane behind privileges, ACLs, snapshots and read replicas", () => {
  let world: RealEmulator;
  let instance: Json;
  let id: string;

  beforeAll(async () => {
    world = await RealEmulator.start();
    // A block volume: local SSDs cannot be snapshotted.
    instance = await world.readyInstance("primary", { volume_type: "bssd", volume_size: 5_000_000_000 });
    id = String(instance.id);
    await psql(
      instance,
      "CREATE TABLE orders (id int PRIMARY KEY, item text); INSERT INTO orders VALUES (1, 'book');",
    );
  });

  afterAll(async () => {
    await world?.stop();
  });

  it("grants what each permission allows, and nothing more", async () => {
    const user = { name: "clerk", password: "Clerk-Passw0rd!" };
    await world.ok("POST", `/instances/${id}/users`, { ...user, is_admin: false });
    const asClerk = (sql: string) => psql(instance, sql, { user });
    const permission = (value: string) =>
      world.ok("PUT", `/instances/${id}/privileges`, {
        database_name: "rdb",
        user_name: user.name,
        permission: value,
      });

    await expect(asClerk("SELECT item FROM orders")).rejects.toThrow(/permission denied for table orders/);
    await permission("readonly");
    expect(await asClerk("SELECT item FROM orders")).toBe("book\n");
    await expect(asClerk("INSERT INTO orders VALUES (2, 'pen')")).rejects.toThrow(/permission denied/);
    await permission("readwrite");
    await asClerk("INSERT INTO orders VALUES (2, 'pen')");
    await expect(asClerk("DROP TABLE orders")).rejects.toThrow(/must be owner/);
    await permission("all");
    await asClerk("TRUNCATE orders; INSERT INTO orders VALUES (1, 'book')");
    await permission("none");
    await expect(asClerk("SELECT item FROM orders")).rejects.toThrow(/permission denied/);
    const listed = (await world.ok("GET", `/instances/${id}/privileges?user_name=clerk`))
      .privileges as Json[];
    expect(listed).toEqual([{ database_name: "rdb", user_name: "clerk", permission: "none" }]);
  });

  it("cuts the endpoint off for 127.0.0.1 when the ACL leaves it out, and lets it in again", async () => {
    await world.ok("PUT", `/instances/${id}/acls`, { rules: [{ ip: "10.0.0.0/8", description: "office" }] });
    await world.until(`/instances/${id}`, "ready");
    await expect(psql(instance, "SELECT 1")).rejects.toThrow(/closed the connection|reset|refused/i);
    await world.ok("POST", `/instances/${id}/acls`, { rules: [{ ip: "127.0.0.1/32", description: "here" }] });
    await world.until(`/instances/${id}`, "ready");
    expect(await psql(instance, "SELECT 1")).toBe("1\n");
  });

  it("makes an instance from a snapshot with the rows it had then", async () => {
    const snapshot = await world.ok("POST", `/instances/${id}/snapshots`, { name: "before" });
    await world.until(`/snapshots/${String(snapshot.id)}`, "ready");
    await psql(instance, "INSERT INTO orders VALUES (3, 'after the snapshot')");
    const made = await world.ok("POST", `/snapshots/${String(snapshot.id)}/create-instance`, {
      instance_name: "from-snapshot",
    });
    const restored = await world.until(`/instances/${String(made.id)}`, "ready");
    expect(await psql(restored, "SELECT item FROM orders ORDER BY id")).toBe("book\n");
    await world.ok("DELETE", `/instances/${String(made.id)}`);
  });

  it("serves the primary's rows, new ones included, from a read replica that refuses writes", async () => {
    const replica = await world.ok("POST", "/read-replicas", { instance_id: id });
    const ready = await world.until(`/read-replicas/${String(replica.id)}`, "ready");
    const directAccess = (ready.endpoints as Json[]).find((endpoint) => endpoint.direct_access !== undefined);
    expect(directAccess?.port).not.toBe(5432);
    const onReplica = { endpoint: { port: Number(directAccess?.port) } };
    await psql(instance, "INSERT INTO orders VALUES (4, 'streamed')");
    const deadline = Date.now() + 10_000;
    let rows = "";
    while (Date.now() < deadline && !rows.includes("streamed")) {
      rows = await psql(onReplica, "SELECT item FROM orders ORDER BY id");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(rows).toBe(await psql(instance, "SELECT item FROM orders ORDER BY id"));
    expect(rows).toContain("book\n");
    expect(await psql(onReplica, "SELECT pg_is_in_recovery()", { user: ADMIN })).toBe("t\n");
    await expect(psql(onReplica, "INSERT INTO orders VALUES (5, 'no')")).rejects.toThrow(
      /read-only transaction/,
    );
    await world.ok("DELETE", `/read-replicas/${String(replica.id)}`);
    expect(await psql(instance, "SELECT count(*) FROM pg_replication_slots")).toBe("0\n");
  });
});
