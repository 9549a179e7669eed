// scalingo:BackupSchedule provider: the periodic backup setting of one Scalingo database addon (enabled, and the hour
// it runs at). Its id is `{app}/{addonId}`; delete puts Scalingo's default back rather than deleting anything.
import type { z } from "zod";
import { type ScalingoDatabase, ScalingoNotFoundError } from "../../../sdk";
import { checkedInputs, diffByTable } from "../declaration";
import { identityName, type Outputs, type ResourceImpl, readResult } from "../resource-impl";
import { plainObject } from "../support";
import { checkInputs } from "../validation";
import { scalingoClient } from "./client";
import { scheduleDeclaration, scheduleInputSchema } from "./schedule.declaration";
import { formatScalingoId, parseScalingoId } from "./schemas";

/** What a new paid database has, and what delete restores: periodic backups enabled, at 00:00 UTC. */
export const SCALINGO_DEFAULT_SCHEDULE = { enabled: true, hour: 0 } as const;

type ScheduleInputs = z.output<typeof scheduleInputSchema>;

/**
 * `hour` is the scheduled hour when exactly one is scheduled. With none, or with several (set outside Pulumi: the API
 * only takes one), it is null, so a configured hour shows as drift and the next update brings the list back to one.
 */
function outputsOf(database: ScalingoDatabase, inputs: Outputs): Outputs {
  const hours = database.periodicBackupsScheduledAt;
  return plainObject({
    ...inputs,
    enabled: database.periodicBackupsEnabled,
    hour: hours.length === 1 ? hours[0] : null,
    scheduledHours: hours,
  });
}

async function apply(app: string, addonId: string, inputs: ScheduleInputs): Promise<ScalingoDatabase> {
  const client = await scalingoClient();
  return client.updatePeriodicBackups({ app, addonId, enabled: inputs.enabled, hour: inputs.hour });
}

export const backupSchedule: ResourceImpl = {
  check: (_olds, news) => checkInputs(scheduleInputSchema, news),

  async diff(_id, olds, news) {
    const { changes, replaces } = diffByTable(scheduleDeclaration, olds, news);
    return { changes, replaces };
  },

  async create(raw) {
    const inputs = checkedInputs(scheduleInputSchema, raw);
    const database = await apply(inputs.app, inputs.addonId, inputs);
    return { id: formatScalingoId(inputs.app, inputs.addonId), outs: outputsOf(database, raw) };
  },

  async read(id, props) {
    const client = await scalingoClient();
    const [app, addonId] = parseScalingoId(id, 2);
    try {
      const database = await client.getDatabase({ app, addonId });
      const outs = outputsOf(database, { ...(props ?? {}), app, addonId });
      return readResult(id, scheduleInputSchema, outs);
    } catch (error) {
      if (error instanceof ScalingoNotFoundError) return {};
      throw error;
    }
  },

  async update(id, _olds, news) {
    const [app, addonId] = parseScalingoId(id, 2);
    const database = await apply(app, addonId, checkedInputs(scheduleInputSchema, news));
    return { outs: outputsOf(database, news) };
  },

  async delete(id, props) {
    const [app, addonId] = parseScalingoId(id, 2);
    const client = await scalingoClient();
    try {
      await client.updatePeriodicBackups({ app, addonId, ...SCALINGO_DEFAULT_SCHEDULE });
      console.log(
        `scalingo:BackupSchedule ${identityName(props.__identity)}: restored Scalingo's default schedule ` +
          "(periodic backups enabled, at 00:00 UTC)",
      );
    } catch (error) {
      if (error instanceof ScalingoNotFoundError) return;
      throw error;
    }
  },
};
