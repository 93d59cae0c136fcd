/**
 * Five-field cron expressions (crontab(5): minute hour day-of-month month day-of-week, UTC), as
 * the backup schedules are written. One parser serves configuration checks and the scheduler
 * that runs the jobs, so a schedule that validates is the schedule that runs.
 */

export interface CronSchedule {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly days: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly weekdays: ReadonlySet<number>;
  /** crontab(5): when both day fields are restricted, a time matching either one runs. */
  readonly dayOrWeekday: boolean;
}

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

const FIELDS: readonly FieldSpec[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS },
  // 7 is Sunday too, as in crontab(5).
  { name: "day-of-week", min: 0, max: 7, names: WEEKDAYS },
];

export const CRON_FORMAT =
  'five fields (minute hour day-of-month month day-of-week) of numbers, names, "*", "-", "," and "/", such as "0 3 * * *"';

/** Parses an expression, or returns why it is not one (the field, its value and what is allowed). */
export function parseCron(expression: string): CronSchedule | string {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== FIELDS.length) {
    return `expected ${CRON_FORMAT}; found ${fields.length} field${fields.length === 1 ? "" : "s"}`;
  }
  const sets: Set<number>[] = [];
  for (const [index, spec] of FIELDS.entries()) {
    const values = parseField(fields[index], spec);
    if (typeof values === "string") return values;
    sets.push(values);
  }
  const [minutes, hours, days, months, weekdayField] = sets;
  const weekdays = new Set([...weekdayField].map((day) => day % 7));
  return {
    minutes,
    hours,
    days,
    months,
    weekdays,
    dayOrWeekday: !fields[2].startsWith("*") && !fields[4].startsWith("*"),
  };
}

/** Whether the schedule runs in the UTC minute that `date` falls in. */
export function isCronDue(schedule: CronSchedule, date: Date): boolean {
  if (!schedule.minutes.has(date.getUTCMinutes())) return false;
  if (!schedule.hours.has(date.getUTCHours())) return false;
  if (!schedule.months.has(date.getUTCMonth() + 1)) return false;
  const day = schedule.days.has(date.getUTCDate());
  const weekday = schedule.weekdays.has(date.getUTCDay());
  return schedule.dayOrWeekday ? day || weekday : day && weekday;
}

function parseField(field: string, spec: FieldSpec): Set<number> | string {
  const values = new Set<number>();
  for (const part of field.split(",")) {
    const match = /^(\*|[0-9a-z]+(?:-[0-9a-z]+)?)(?:\/([0-9]+))?$/i.exec(part);
    const range = match ? getRange(match[1], spec) : undefined;
    const step = match?.[2] === undefined ? 1 : Number(match[2]);
    if (range === undefined || step < 1) {
      const names = spec.names ? `, or names such as "${spec.names[1]}"` : "";
      return `${spec.name} field "${field}" is not allowed: use ${spec.min}-${spec.max}${names}, "*", ranges "a-b", lists "a,b" and steps "/n"`;
    }
    for (let value = range[0]; value <= range[1]; value += step) values.add(value);
  }
  return values;
}

function getRange(text: string, spec: FieldSpec): [number, number] | undefined {
  if (text === "*") return [spec.min, spec.max];
  const [first, last = first] = text.split("-").map((value) => getValue(value, spec));
  if (first === undefined || last === undefined || first > last) return undefined;
  return [first, last];
}

function getValue(text: string, spec: FieldSpec): number | undefined {
  const named = spec.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + (spec.name === "month" ? 1 : 0);
  if (!/^[0-9]+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= spec.min && value <= spec.max ? value : undefined;
}
