import { parseStatements } from "../schema/sql-text";

/**
 * What pr-summary's dry run may execute on a deployed database (staging). A rollback undoes
 * catalog changes, but not a sequence's setval/nextval, nor what a DO block or a called function
 * does outside the transaction (dblink, files, notifications to other systems). Definitions are
 * PR-authored: only statements that define objects without running code are run.
 */
const DEFINING_STATEMENTS = new Set([
  "CreateFunctionStmt",
  "AlterFunctionStmt",
  "ViewStmt",
  "CreateTrigStmt",
  "CreatePolicyStmt",
  "AlterPolicyStmt",
  "GrantStmt",
  "CommentStmt",
  "DropStmt",
]);

/** ALTER TABLE only to switch RLS: a column default or a type change would run expressions. */
const RLS_SUBTYPES = [
  "AT_EnableRowSecurity",
  "AT_DisableRowSecurity",
  "AT_ForceRowSecurity",
  "AT_NoForceRowSecurity",
];

/** `select cron.<fn>(<constants>)`: how a cron_job object is defined (pg_cron's own table). */
const CRON_FUNCTIONS = ["schedule", "unschedule", "schedule_in_database", "alter_job"];

type Node = Record<string, any>;

function isCronCall(select: Node): boolean {
  const extra = Object.keys(select).filter((k) => !["targetList", "limitOption", "op"].includes(k));
  const call = select.targetList?.length === 1 ? select.targetList[0].ResTarget?.val?.FuncCall : 0;
  if (extra.length > 0 || !call) return false;
  const name = (call.funcname ?? []).map((n: Node) => n.String?.sval);
  const constants = (call.args ?? []).every((a: Node) => a.A_Const !== undefined);
  return name.length === 2 && name[0] === "cron" && CRON_FUNCTIONS.includes(name[1]) && constants;
}

function isAllowed(node: Node): boolean {
  const [kind] = Object.keys(node);
  if (DEFINING_STATEMENTS.has(kind)) return true;
  if (kind === "AlterTableStmt") {
    return (node[kind].cmds ?? []).every((c: Node) =>
      RLS_SUBTYPES.includes(c.AlterTableCmd?.subtype),
    );
  }
  // Building an index evaluates its expressions on every row: no function calls there.
  if (kind === "IndexStmt") return !JSON.stringify(node).includes('"FuncCall"');
  return kind === "SelectStmt" && isCronCall(node[kind]);
}

/**
 * Why the dry run does not run `definition`, naming the first statement it refuses, or
 * undefined when every statement only defines objects. A syntax error is left to the run.
 */
export async function getDryRunRefusal(definition: string): Promise<string | undefined> {
  let statements;
  try {
    statements = await parseStatements(definition);
  } catch {
    return undefined;
  }
  const refused = statements.find((s) => !isAllowed(s.node));
  if (!refused) return undefined;
  const head = refused.text.split(/\s+/).slice(0, 2).join(" ").toUpperCase();
  return (
    `not run by the dry run: '${head} ...' could change the database for good (a rollback ` +
    `does not undo sequences or what runs outside the transaction); compared on 'pulumi up' only`
  );
}
