/**
 * The retention playbook lives in settings (key "retention_playbook") so admins can edit it; until
 * they do, and whenever a stored value no longer passes the schema, the default Telco playbook
 * from lib/retention applies.
 */
import { DEFAULT_PLAYBOOK, type Playbook, playbookSchema } from "@/lib/retention";
import type { Database } from "../../db/client";
import { getSetting, type SettingDefinition } from "../settings";

export const RETENTION_PLAYBOOK_SETTING: SettingDefinition<Playbook> = {
  key: "retention_playbook",
  schema: playbookSchema,
  defaultValue: () => structuredClone(DEFAULT_PLAYBOOK),
};

export function getPlaybook(db: Database): Promise<Playbook> {
  return getSetting(db, RETENTION_PLAYBOOK_SETTING);
}
