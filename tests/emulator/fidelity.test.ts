// Replays every recorded real Scaleway RDB exchange against the emulator, on a clock that follows the recorded dates,
// and compares status codes, response shapes (keys and value types) and resource statuses; prints the match rates.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startEmulator } from "../../emulator/server";
import { RECORDINGS_DIR } from "../recordings";

const FIXTURES = RECORDINGS_DIR;
const TOKEN = "fidelity-token";
const UUID_PATTERN = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
/** Arrays whose emptiness carries meaning (provisioning vs provisioned, found vs not found). */
const SIGNIFICANT_EMPTINESS = new Set([
  "endpoints",
  "settings",
  "instances",
  "database_backups",
  "databases",
  "users",
  "instance_logs",
  "maintenances",
  "rules",
  "privileges",
  "snapshots",
  "read_replicas",
]);

/** Fields the real API added after some recordings were made: emulated answers may carry them in older exchanges. */
const FIELDS_ADDED_LATER: Record<string, number> = {
  high_availability_mode: Date.parse("2026-08-17T00:00:00Z"),
};

interface Interaction {
  method: string;
  url: string;
  request_body: unknown;
  code: number;
  response_body: unknown;
  date: string;
}

type Json = Record<string, unknown>;

type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: unknown }>;

function readRecording(file: string): Interaction[] {
  return readFileSync(join(FIXTURES, file), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Interaction);
}

function kind(value: unknown): string {
  if (value === null) return "null";
  return Array.isArray(value) ? "array" : typeof value;
}

/** Differences in keys and value types between a recorded body and the emulator's, as readable paths. */
function shapeDifferences(
  recorded: unknown,
  actual: unknown,
  recordedAt: number,
  path = "$",
  key = "",
): string[] {
  if (kind(recorded) !== kind(actual))
    return [`${path}: ${kind(recorded)} recorded, ${kind(actual)} emulated`];
  if (Array.isArray(recorded) && Array.isArray(actual)) {
    if (recorded.length === 0 || actual.length === 0) {
      return SIGNIFICANT_EMPTINESS.has(key) && recorded.length !== actual.length
        ? [`${path}: ${recorded.length} items recorded, ${actual.length} emulated`]
        : [];
    }
    return shapeDifferences(recorded[0], actual[0], recordedAt, `${path}[0]`, key);
  }
  if (kind(recorded) === "object") {
    const recordedObject = recorded as Json;
    const actualObject = actual as Json;
    const keys = new Set([...Object.keys(recordedObject), ...Object.keys(actualObject)]);
    return [...keys].flatMap((name) => {
      if (!(name in actualObject)) return [`${path}.${name}: missing from emulated`];
      if (!(name in recordedObject)) {
        const addedAt = FIELDS_ADDED_LATER[name];
        return addedAt !== undefined && recordedAt < addedAt ? [] : [`${path}.${name}: not in recorded`];
      }
      return shapeDifferences(recordedObject[name], actualObject[name], recordedAt, `${path}.${name}`, name);
    });
  }
  return [];
}

/** The statuses a body reports: its own, or those of the items of a list. */
function statusesOf(body: unknown): string[] {
  if (!body || typeof body !== "object") return [];
  const object = body as Json;
  if (typeof object.status === "string") return [object.status];
  for (const listKey of ["instances", "database_backups", "instance_logs", "snapshots"]) {
    const items = object[listKey];
    if (Array.isArray(items)) return items.map((item) => String((item as Json).status));
  }
  return [];
}

interface Outcome {
  compared: number;
  matched: number;
  problems: string[];
}

const catalogueBody = JSON.parse(readFileSync(join(FIXTURES, "database-engines.json"), "utf8")) as unknown;

async function replay(file: string): Promise<Outcome> {
  const recording = readRecording(file).filter((interaction) =>
    new URL(interaction.url).pathname.startsWith("/rdb/"),
  );
  const clock = { now: Date.parse(recording[0].date) };
  const emulator = await startEmulator({ profile: "fast", dataPlane: "simulated", now: () => clock.now });
  const ids = new Map<string, string>();
  const mapIds = (text: string) => text.replace(UUID_PATTERN, (id) => ids.get(id) ?? id);
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${emulator.url}${path}`, {
      method,
      headers: { "x-auth-token": TOKEN, "content-type": "application/json" },
      body: body === undefined || body === null ? undefined : mapIds(JSON.stringify(body)),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
  };

  try {
    await createPreexistingInstances(recording, clock, ids, call);
    const outcome: Outcome = { compared: 0, matched: 0, problems: [] };
    for (const [index, interaction] of recording.entries()) {
      clock.now = Math.max(clock.now, Date.parse(interaction.date));
      const url = new URL(interaction.url);
      if (isServiceRace(interaction)) await replayRace(call, interaction, mapIds(url.pathname));
      const answer = await call(
        interaction.method,
        mapIds(`${url.pathname}${url.search}`),
        interaction.request_body,
      );
      const recordedBody = url.pathname.endsWith("/database-engines")
        ? catalogueBody
        : interaction.response_body;
      learnIds(recordedBody, answer.body, ids);
      await holdAsRecorded(recording, index, ids, call);
      const problems: string[] = [];
      if (answer.status !== interaction.code)
        problems.push(`status code ${interaction.code} recorded, ${answer.status} emulated`);
      else problems.push(...shapeDifferences(recordedBody, answer.body, Date.parse(interaction.date)));
      const recordedStatuses = statusesOf(recordedBody).join(",");
      const emulatedStatuses = statusesOf(answer.body).join(",");
      if (recordedStatuses !== emulatedStatuses) {
        problems.push(`statuses [${recordedStatuses}] recorded, [${emulatedStatuses}] emulated`);
      }
      outcome.compared += 1;
      if (problems.length === 0) outcome.matched += 1;
      else outcome.problems.push(`#${index} ${interaction.method} ${url.pathname}: ${problems.join("; ")}`);
    }
    return outcome;
  } finally {
    await emulator.stop();
  }
}

/** A conflict the real service lost to itself (concurrent privilege changes): a bare message, no error type. */
function isServiceRace(interaction: Interaction): boolean {
  const body = interaction.response_body as Json | null;
  return interaction.code === 409 && typeof body?.message === "string" && !("type" in body);
}

/**
 * The emulator serves one request at a time, so a race the real service lost cannot happen there: the exchange is
 * replayed as the client would meet it, through a one-shot injected fault answering as the service did.
 */
async function replayRace(call: Call, interaction: Interaction, path: string): Promise<void> {
  const fault = {
    method: interaction.method,
    path,
    status: interaction.code,
    body: interaction.response_body,
  };
  const answer = await call("POST", "/_emulator/faults", fault);
  if (answer.status >= 300) throw new Error(`arming a fault failed: ${answer.status}`);
}

const TRANSIENT_INSTANCE_STATUSES = new Set(["provisioning", "configuring", "initializing", "restarting"]);

/**
 * The emulator's `fast` durations are shorter than the real ones: where a recording goes on seeing an instance in a
 * transient status long after the emulated one would have ended, the operation is held (test control) until the
 * recording's last such sighting, so that status sequences are compared rather than durations.
 */
async function holdAsRecorded(
  recording: Interaction[],
  index: number,
  ids: Map<string, string>,
  call: Call,
): Promise<void> {
  const body = recording[index].response_body as Json | null;
  const status = String(body?.status);
  if (!body || !("engine" in body) || !TRANSIENT_INSTANCE_STATUSES.has(status)) return;
  const emulatedId = ids.get(String(body.id));
  let lastSighting: Interaction | undefined;
  for (const later of recording.slice(index + 1)) {
    const laterBody = later.response_body as Json | null;
    if (!laterBody || laterBody.id !== body.id) continue;
    if (laterBody.status !== status) break;
    lastSighting = later;
  }
  if (!emulatedId || !lastSighting) return;
  const until = new Date(Date.parse(lastSighting.date) + 1000).toISOString();
  await call("POST", `/_emulator/scaleway-rdb/instances/${emulatedId}/hold`, { until });
}

/** Records which emulated id stands for which recorded id, from any created resource in a response. */
function learnIds(recorded: unknown, actual: unknown, ids: Map<string, string>): void {
  if (!recorded || !actual || typeof recorded !== "object" || typeof actual !== "object") return;
  const recordedObject = recorded as Json;
  const actualObject = actual as Json;
  if (
    typeof recordedObject.id === "string" &&
    typeof actualObject.id === "string" &&
    !ids.has(recordedObject.id)
  ) {
    ids.set(recordedObject.id, actualObject.id);
  }
  for (const listKey of ["instance_logs", "read_replicas"]) {
    const recordedItems = recordedObject[listKey];
    const actualItems = actualObject[listKey];
    if (Array.isArray(recordedItems) && Array.isArray(actualItems)) {
      for (const [index, item] of recordedItems.entries()) learnIds(item, actualItems[index], ids);
    }
  }
  learnEndpointIds(recordedObject.endpoints, actualObject.endpoints, ids);
}

/** Endpoints are paired by kind (load balancer, direct access, or the same Private Network), not by position. */
function learnEndpointIds(recorded: unknown, actual: unknown, ids: Map<string, string>): void {
  if (!Array.isArray(recorded) || !Array.isArray(actual)) return;
  const kindOf = (endpoint: Json) =>
    ["load_balancer", "direct_access"].find((kind) => kind in endpoint) ??
    String((endpoint.private_network as Json | undefined)?.private_network_id ?? "");
  for (const endpoint of recorded as Json[]) {
    const recordedKind = kindOf(endpoint);
    const match = (actual as Json[]).find((candidate) => {
      const candidateKind = kindOf(candidate);
      return candidateKind === recordedKind || ids.get(recordedKind) === candidateKind;
    });
    learnIds(endpoint, match, ids);
  }
}

/**
 * Some recordings start on an instance made before recording began: build an equivalent one first (same engine,
 * node, tags, admin user), with the maintenance history the recording shows (one done, one pending to apply).
 */
async function createPreexistingInstances(
  recording: Interaction[],
  clock: { now: number },
  ids: Map<string, string>,
  call: Call,
): Promise<void> {
  const created = new Set(
    recording
      .filter((interaction) => interaction.method === "POST")
      .map((interaction) => (interaction.response_body as Json | null)?.id),
  );
  const first = recording[0];
  const body = first.response_body as Json;
  if (first.method !== "GET" || typeof body?.id !== "string" || created.has(body.id) || !("engine" in body))
    return;
  const startedAt = clock.now;
  clock.now = Date.parse(String(body.created_at));
  const usersListing = recording.find((interaction) => interaction.url.includes("/users"));
  const users = ((usersListing?.response_body as Json | undefined)?.users ?? []) as Json[];
  const schedule = body.backup_schedule as Json;
  const volume = body.volume as Json;
  const made = await call("POST", `/rdb/v1/regions/${body.region}/instances`, {
    project_id: body.project_id,
    name: body.name,
    engine: body.engine,
    user_name: users[0]?.name ?? "",
    password: "Fidelity-Passw0rd!",
    node_type: body.node_type,
    is_ha_cluster: body.is_ha_cluster,
    disable_backup: schedule.disabled,
    tags: body.tags,
    volume_type: volume.type,
    volume_size: volume.type === "lssd" ? 0 : volume.size,
    encryption: body.encryption,
  });
  const id = String((made.body as Json).id);
  ids.set(body.id, id);
  const maintenances = (body.maintenances ?? []) as Json[];
  if (maintenances.length > 0) {
    clock.now += 10_000;
    await scheduleMaintenance(call, id);
    await call("POST", `/rdb/v1/regions/${body.region}/instances/${id}/apply-maintenance`, {});
    clock.now += 10_000;
    await scheduleMaintenance(call, id);
  }
  clock.now = Math.max(clock.now, startedAt);
}

async function scheduleMaintenance(call: Call, instanceId: string): Promise<void> {
  const answer = await call("POST", `/_emulator/scaleway-rdb/instances/${instanceId}/maintenances`, {});
  if (answer.status !== 201) throw new Error(`scheduling a maintenance failed: ${answer.status}`);
}

const recordings = readdirSync(FIXTURES)
  .filter((file) => file.endsWith(".jsonl") && !file.startsWith("serverless-"))
  .sort();

describe("fidelity to recorded Scaleway RDB traffic", () => {
  const results = new Map<string, Outcome>();

  afterAll(() => {
    const lines = [...results.entries()].map(
      ([file, outcome]) =>
        `${((100 * outcome.matched) / outcome.compared).toFixed(1).padStart(5)} %  ${outcome.matched}/${outcome.compared}  ${file}`,
    );
    const matched = [...results.values()].reduce((sum, outcome) => sum + outcome.matched, 0);
    const compared = [...results.values()].reduce((sum, outcome) => sum + outcome.compared, 0);
    lines.push(
      `${((100 * matched) / Math.max(compared, 1)).toFixed(1).padStart(5)} %  ${matched}/${compared}  TOTAL`,
    );
    console.log(`Emulator fidelity (status code, keys and types, statuses):\n${lines.join("\n")}`);
  });

  test.each(recordings)("%s", async (file) => {
    const outcome = await replay(file);
    results.set(file, outcome);
    expect(outcome.compared).toBeGreaterThan(0);
    expect(outcome.problems).toEqual([]);
  });
});
