import { quoteLiteral } from "../lib/pg";
import { getIdentity, type SqlObjectSpec } from "../schema/sql-object";

/*
 * Trigger naming convention, for tenant tables and the platform's own tables alike:
 * `<table>_<action>`, where the action says what the trigger does ("set_updated_at",
 * "guard_tenant_row", "record_change", "notify_assignee_id", "count_in_organizations").
 */

export interface ActivityMapping {
  readonly insert?: string;
  readonly update?: string;
  readonly delete?: string;
  /** Column whose value becomes the activity's description, e.g. "name". */
  readonly label: string;
  /** Only updates of these columns are activity. Default: any update. */
  readonly updateOf?: readonly string[];
}

export interface NotifyOption {
  /** uuid column holding the user to notify, e.g. "assignee_id". */
  readonly column: string;
  /** Notification type, e.g. "task.assigned". */
  readonly type: string;
  /** Column whose value titles the notification. Default: the table name. */
  readonly titleColumn?: string;
}

export interface CounterOption {
  /** Parent table in schema public, e.g. "organizations". */
  readonly parentTable: string;
  /** Integer column on the parent, e.g. "project_count". */
  readonly parentColumn: string;
  /** Column of this table referencing the parent's id. Default organization_id. */
  readonly foreignKey?: string;
}

/** The row hooks a table can switch on. */
export interface TableAutomation {
  /** Audit every insert, update and delete. Default on; name columns never to record. */
  readonly audit?: boolean | { readonly excludeColumns: readonly string[] };
  /** Which operation yields which activity type, and the column that describes the row. */
  readonly activity?: ActivityMapping;
  /** Notify the user named in a column when a row is created for them or handed to them. */
  readonly notify?: NotifyOption;
  /** Keep a count of this table's rows on a parent row. */
  readonly counter?: CounterOption;
}

/** Trigger `<table>_<action>` running orgstack.trigger_<action>() before each row update. */
export function getBeforeUpdateTrigger(
  qualifiedTable: string,
  action: string,
  source: string,
): SqlObjectSpec {
  const name = `${qualifiedTable.split(".")[1]}_${action}`;
  return {
    identity: getIdentity(`trigger ${name} on ${qualifiedTable}`),
    definition:
      `create trigger ${name} before update on ${qualifiedTable}\n` +
      `  for each row execute function orgstack.trigger_${action}();`,
    requires: [getIdentity(`function orgstack.trigger_${action}()`)],
    source,
  };
}

/**
 * Trigger `<table>_guard_references`: before each row insert or update, every foreign key to
 * another tenant table must reference a row of the same organization (see
 * orgstack.trigger_guard_references). On every TenantTable by default, with no opt-out: a
 * reference across organizations is never valid, and a table without such keys pays one
 * catalog lookup per written row. BEFORE triggers fire in name order: an app's own BEFORE
 * trigger named after this one that rewrites a key column is not checked.
 */
export function getReferenceGuardTrigger(qualifiedTable: string, source: string): SqlObjectSpec {
  const name = `${qualifiedTable.split(".")[1]}_guard_references`;
  return {
    identity: getIdentity(`trigger ${name} on ${qualifiedTable}`),
    definition:
      `create trigger ${name} before insert or update on ${qualifiedTable}\n` +
      `  for each row execute function orgstack.trigger_guard_references();`,
    requires: [getIdentity("function orgstack.trigger_guard_references()")],
    source,
  };
}

interface AfterTriggerSpec {
  readonly action: string;
  readonly events: string;
  readonly fn: string;
  readonly args: readonly string[];
}

function getAfterTrigger(
  qualifiedTable: string,
  trigger: AfterTriggerSpec,
  source: string,
): SqlObjectSpec {
  const name = `${qualifiedTable.split(".")[1]}_${trigger.action}`;
  const args = trigger.args.map((a) => quoteLiteral(a)).join(", ");
  return {
    identity: getIdentity(`trigger ${name} on ${qualifiedTable}`),
    definition:
      `create trigger ${name} after ${trigger.events} on ${qualifiedTable}\n` +
      `  for each row execute function ${trigger.fn}(${args});`,
    requires: [getIdentity(`function ${trigger.fn}()`)],
    source,
  };
}

function getActivityTrigger(activity: ActivityMapping): AfterTriggerSpec {
  const { insert = "", update = "", delete: remove = "", label, updateOf = [] } = activity;
  const updateEvent = updateOf.length > 0 ? `update of ${updateOf.join(", ")}` : "update";
  const events = [insert && "insert", update && updateEvent, remove && "delete"]
    .filter(Boolean)
    .join(" or ");
  return {
    action: "record_activity",
    events,
    fn: "orgstack.trigger_record_activity",
    args: [insert, update, remove, label],
  };
}

/** Audit, activity, notification and counter triggers, as `automation` switches them on. */
export function getAutomationTriggers(
  qualifiedTable: string,
  automation: TableAutomation,
  source: string,
): SqlObjectSpec[] {
  const triggers: AfterTriggerSpec[] = [];
  if (automation.audit ?? true) {
    const excluded = typeof automation.audit === "object" ? automation.audit.excludeColumns : [];
    triggers.push({
      action: "record_change",
      events: "insert or update or delete",
      fn: "audit.trigger_record_change",
      args: excluded,
    });
  }
  if (automation.activity) triggers.push(getActivityTrigger(automation.activity));
  if (automation.notify) {
    const { column, type, titleColumn = "" } = automation.notify;
    triggers.push({
      action: `notify_${column}`,
      events: `insert or update of ${column}`,
      fn: "orgstack.trigger_notify_column",
      args: [column, type, titleColumn],
    });
  }
  if (automation.counter) {
    const { parentTable, parentColumn, foreignKey = "organization_id" } = automation.counter;
    triggers.push({
      action: `count_in_${parentTable}`,
      events: `insert or delete or update of ${foreignKey}`,
      fn: "orgstack.trigger_maintain_counter",
      args: [`public.${parentTable}`, parentColumn, foreignKey],
    });
  }
  return triggers.map((t) => getAfterTrigger(qualifiedTable, t, source));
}
