// The data plane of the real mode: PostgreSQL instances on real servers, the other engines (MySQL) simulated, each
// instance answered by the plane it was provisioned on.
import {
  type Credentials,
  type DataPlane,
  type Permission,
  type Provisioned,
  type ProvisionRequest,
  type Row,
  SimulatedDataPlane,
} from "../data-plane";

interface PersistedState {
  simulatedInstances: string[];
  simulatedSnapshots: string[];
  real: unknown;
  simulated: unknown;
}

export class PerEngineDataPlane implements DataPlane {
  readonly runsServers = true;
  private readonly simulated = new SimulatedDataPlane();
  private simulatedInstances = new Set<string>();
  private simulatedSnapshots = new Set<string>();

  constructor(private readonly real: DataPlane) {}

  private of(instanceId: string): DataPlane {
    return this.simulatedInstances.has(instanceId) ? this.simulated : this.real;
  }

  provisionInstance(instanceId: string, request: ProvisionRequest): Promise<Provisioned> {
    const copiesSimulated =
      (request.copyOf !== undefined && this.simulatedInstances.has(request.copyOf)) ||
      (request.fromSnapshot !== undefined && this.simulatedSnapshots.has(request.fromSnapshot));
    if (request.engineFamily === "PostgreSQL" && !copiesSimulated) {
      return this.real.provisionInstance(instanceId, request);
    }
    this.simulatedInstances.add(instanceId);
    return this.simulated.provisionInstance(instanceId, request);
  }

  configure(instanceId: string, settings: Array<{ name: string; value: string }>): Promise<void> {
    return this.of(instanceId).configure(instanceId, settings);
  }

  restartInstance(instanceId: string): Promise<void> {
    return this.of(instanceId).restartInstance(instanceId);
  }

  certificate(instanceId: string): Promise<string | undefined> {
    return this.of(instanceId).certificate(instanceId);
  }

  renewCertificate(instanceId: string): Promise<void> {
    return this.of(instanceId).renewCertificate(instanceId);
  }

  createUser(instanceId: string, user: Credentials, isAdmin: boolean): Promise<void> {
    return this.of(instanceId).createUser(instanceId, user, isAdmin);
  }

  updateUser(
    instanceId: string,
    name: string,
    change: { password?: string; isAdmin?: boolean },
  ): Promise<void> {
    return this.of(instanceId).updateUser(instanceId, name, change);
  }

  dropUser(instanceId: string, name: string): Promise<void> {
    return this.of(instanceId).dropUser(instanceId, name);
  }

  setPrivilege(instanceId: string, database: string, user: string, permission: Permission): Promise<void> {
    return this.of(instanceId).setPrivilege(instanceId, database, user, permission);
  }

  setAcl(instanceId: string, networks: string[]): Promise<void> {
    return this.of(instanceId).setAcl(instanceId, networks);
  }

  snapshotInstance(instanceId: string, snapshotId: string): Promise<void> {
    if (this.simulatedInstances.has(instanceId)) this.simulatedSnapshots.add(snapshotId);
    return this.of(instanceId).snapshotInstance(instanceId, snapshotId);
  }

  async dropSnapshot(snapshotId: string): Promise<void> {
    await (this.simulatedSnapshots.has(snapshotId) ? this.simulated : this.real).dropSnapshot(snapshotId);
    this.simulatedSnapshots.delete(snapshotId);
  }

  provisionReplica(primaryId: string, replicaId: string): Promise<Provisioned> {
    if (this.simulatedInstances.has(primaryId)) this.simulatedInstances.add(replicaId);
    return this.of(primaryId).provisionReplica(primaryId, replicaId);
  }

  moveEndpoint(fromInstanceId: string, toInstanceId: string): Promise<void> {
    return this.of(fromInstanceId).moveEndpoint(fromInstanceId, toInstanceId);
  }

  createDatabase(instanceId: string, database: string): Promise<void> {
    return this.of(instanceId).createDatabase(instanceId, database);
  }

  dropDatabase(instanceId: string, database: string): Promise<void> {
    return this.of(instanceId).dropDatabase(instanceId, database);
  }

  hasDatabase(instanceId: string, database: string): Promise<boolean> {
    return this.of(instanceId).hasDatabase(instanceId, database);
  }

  listDatabases(instanceId: string): Promise<Array<{ name: string; sizeBytes: number }>> {
    return this.of(instanceId).listDatabases(instanceId);
  }

  async dropInstance(instanceId: string): Promise<void> {
    await this.of(instanceId).dropInstance(instanceId);
    this.simulatedInstances.delete(instanceId);
  }

  dump(instanceId: string, database: string): Promise<Buffer> {
    return this.of(instanceId).dump(instanceId, database);
  }

  restore(instanceId: string, database: string, dump: Buffer): Promise<void> {
    return this.of(instanceId).restore(instanceId, database, dump);
  }

  insertRows(instanceId: string, database: string, table: string, rows: Row[]): Promise<void> {
    return this.of(instanceId).insertRows(instanceId, database, table, rows);
  }

  readRows(instanceId: string, database: string, table: string): Promise<Row[]> {
    return this.of(instanceId).readRows(instanceId, database, table);
  }

  async clear(): Promise<void> {
    await Promise.all([this.real.clear(), this.simulated.clear()]);
    this.simulatedInstances.clear();
    this.simulatedSnapshots.clear();
  }

  async exportState(): Promise<PersistedState> {
    return {
      simulatedInstances: [...this.simulatedInstances],
      simulatedSnapshots: [...this.simulatedSnapshots],
      real: await this.real.exportState(),
      simulated: await this.simulated.exportState(),
    };
  }

  async importState(state: unknown): Promise<void> {
    const persisted = (state ?? {}) as Partial<PersistedState>;
    this.simulatedInstances = new Set(persisted.simulatedInstances ?? []);
    this.simulatedSnapshots = new Set(persisted.simulatedSnapshots ?? []);
    await this.real.importState(persisted.real);
    await this.simulated.importState(persisted.simulated);
  }

  async stop(): Promise<void> {
    await Promise.all([this.real.stop(), this.simulated.stop()]);
  }
}
