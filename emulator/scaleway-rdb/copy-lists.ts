// What an instance's copies (database backups, snapshots) share: the instance they come from, the filters of their
// list routes, and their updates (a rename or a new expiry date).
import { InvalidArguments } from "../scaleway-wire";
import type { InstanceRecord } from "./records";
import { checkName, Problems } from "./validation";

/** The instance a copy was made of, as the copy keeps it (the instance may be deleted since). */
export interface CopyOrigin {
  region: string;
  instance_id: string;
  instance_name: string;
  project_id: string;
  organization_id: string;
}

export function copiedFrom(instance: InstanceRecord): CopyOrigin {
  return {
    region: instance.region,
    instance_id: instance.id,
    instance_name: instance.name,
    project_id: instance.project_id,
    organization_id: instance.organization_id,
  };
}

/** The filters of GET /backups and GET /snapshots. */
export interface CopyFilters {
  name: string | null;
  instanceId: string | null;
  projectId: string | null;
  organizationId: string | null;
}

export function copyFilters(query: URLSearchParams): CopyFilters {
  return {
    name: query.get("name"),
    instanceId: query.get("instance_id"),
    projectId: query.get("project_id"),
    organizationId: query.get("organization_id"),
  };
}

interface Copy {
  name: string;
  instance_id: string;
  project_id: string;
  organization_id: string;
  expires_at: number | null;
}

/** Whether a copy passes the filters; a name filter matches a part of the name. */
export function keptByFilters(copy: Copy, filters: CopyFilters): boolean {
  const { name, instanceId, projectId, organizationId } = filters;
  return (
    (!name || copy.name.includes(name)) &&
    (!instanceId || copy.instance_id === instanceId) &&
    (!projectId || copy.project_id === projectId) &&
    (!organizationId || copy.organization_id === organizationId)
  );
}

/** Checks an update (a new name, a future expiry date) and returns how to apply it once the copy may change. */
export function checkCopyUpdate(body: Record<string, unknown>, now: number): (copy: Copy) => void {
  const problems = new Problems();
  const name = problems.optionalString(body, "name");
  checkName(problems, name, false);
  const expiresAt = problems.optionalFutureDate(body, "expires_at", now);
  if (!problems.empty) throw new InvalidArguments(problems.list);
  return (copy) => {
    if (name !== undefined) copy.name = name;
    if (expiresAt !== undefined) copy.expires_at = expiresAt;
  };
}
