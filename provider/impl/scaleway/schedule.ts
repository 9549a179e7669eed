// BackupSchedule provider: the automatic backup policy stored on an RDB instance. Its id is the instance's id;
// delete puts the service defaults back (enabled, every 24 hours, kept 7 days) rather than deleting anything.
import type { z } from "zod";
import type { Instance } from "../../../sdk";
import { checkedInputs, diffByTable } from "../declaration";
import { type Outputs, type ResourceImpl, readResult } from "../resource-impl";
import { formatRegionalId, parseRegionalId, plainObject, progressReporter, unlessGone } from "../support";
import { checkInputs } from "../validation";
import { qualifyRegionalIds, rdbApi } from "./clients";
import { scheduleDeclaration, scheduleInputSchema } from "./schedule.declaration";

/** What the service uses when nobody set a policy, and what delete restores. */
export const SERVICE_DEFAULT_SCHEDULE = { frequencyHours: 24, retentionDays: 7, enabled: true } as const;

type ScheduleInputs = z.output<typeof scheduleInputSchema>;

function outputsOf(instance: Instance, inputs: Outputs): Outputs {
  const schedule = instance.backupSchedule;
  return plainObject({
    ...inputs,
    instanceId: formatRegionalId(instance.region, instance.id),
    frequencyHours: schedule?.frequency ?? SERVICE_DEFAULT_SCHEDULE.frequencyHours,
    retentionDays: schedule?.retention ?? SERVICE_DEFAULT_SCHEDULE.retentionDays,
    enabled: schedule ? !schedule.disabled : SERVICE_DEFAULT_SCHEDULE.enabled,
    ...(typeof inputs.sameRegion === "boolean" ? { sameRegion: instance.backupSameRegion } : {}),
    startHour: inputs.startHour ?? null,
    nextRunAt: schedule?.nextRunAt ?? null,
  });
}

async function apply(instanceId: string, inputs: ScheduleInputs) {
  const api = await rdbApi();
  const { region, id } = parseRegionalId(instanceId);
  await api.waitForInstance(
    { region, instanceId: id },
    { onProgress: progressReporter(`scaleway:BackupSchedule ${id}`) },
  );
  await api.updateInstance({
    region,
    instanceId: id,
    backupScheduleFrequency: inputs.frequencyHours,
    backupScheduleRetention: inputs.retentionDays,
    isBackupScheduleDisabled: !inputs.enabled,
    ...(inputs.startHour !== undefined ? { backupScheduleStartHour: inputs.startHour } : {}),
    ...(inputs.sameRegion !== undefined ? { backupSameRegion: inputs.sameRegion } : {}),
  });
  return api.getInstance({ region, instanceId: id });
}

export const backupSchedule: ResourceImpl = {
  check: (_olds, news) =>
    checkInputs(scheduleInputSchema, news, (inputs, unknownKeys) =>
      qualifyRegionalIds(inputs, ["instanceId"], unknownKeys),
    ),

  async diff(_id, olds, news) {
    const { changes, replaces } = diffByTable(scheduleDeclaration, olds, news);
    return { changes, replaces };
  },

  async create(raw) {
    const inputs = checkedInputs(scheduleInputSchema, raw);
    const instance = await apply(inputs.instanceId, inputs);
    return { id: formatRegionalId(instance.region, instance.id), outs: outputsOf(instance, raw) };
  },

  async read(id, props) {
    const api = await rdbApi();
    const { region, id: instanceId } = parseRegionalId(id);
    const instance = await unlessGone(() => api.getInstance({ region, instanceId }));
    return instance ? readResult(id, scheduleInputSchema, outputsOf(instance, props ?? {})) : {};
  },

  async update(id, _olds, news) {
    const instance = await apply(id, checkedInputs(scheduleInputSchema, news));
    return { outs: outputsOf(instance, news) };
  },

  async delete(id) {
    const api = await rdbApi();
    const { region, id: instanceId } = parseRegionalId(id);
    const restored = await unlessGone(async () => {
      await api.waitForInstance(
        { region, instanceId },
        { onProgress: progressReporter(`scaleway:BackupSchedule ${instanceId}`) },
      );
      return api.updateInstance({
        region,
        instanceId,
        backupScheduleFrequency: SERVICE_DEFAULT_SCHEDULE.frequencyHours,
        backupScheduleRetention: SERVICE_DEFAULT_SCHEDULE.retentionDays,
        isBackupScheduleDisabled: !SERVICE_DEFAULT_SCHEDULE.enabled,
      });
    });
    if (restored) {
      console.log(
        `scaleway:BackupSchedule ${instanceId}: restored the service default schedule (every 24 h, kept 7 days)`,
      );
    }
  },
};
