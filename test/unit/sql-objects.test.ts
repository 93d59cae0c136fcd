import {
  findDestructiveStatements,
  formatIdentity,
  getDropStatement,
  orderObjects,
  parseIdentity,
  parseObjectFile,
  validateObjectGraph,
  type SqlObjectSpec,
} from "../../components/schema";

describe("parseIdentity", () => {
  it.each([
    ["function orgstack.is_member(uuid)", "function orgstack.is_member(uuid)"],
    ["function orgstack.has_role(uuid,  text)", "function orgstack.has_role(uuid, text)"],
    ["function orgstack.trigger_set_updated_at()", "function orgstack.trigger_set_updated_at()"],
    ["view public.member_directory", "view public.member_directory"],
    [
      "trigger organizations_set_updated_at on public.organizations",
      "trigger organizations_set_updated_at on public.organizations",
    ],
    [
      `policy "members can select projects" on public.projects`,
      `policy "members can select projects" on public.projects`,
    ],
    ["index public.projects_organization_id_idx", "index public.projects_organization_id_idx"],
    ["rls on public.projects", "rls on public.projects"],
  ])("reads '%s' and writes it back", (text, formatted) => {
    const identity = parseIdentity(text);
    expect(typeof identity).toBe("object");
    expect(formatIdentity(identity as Exclude<typeof identity, string>)).toBe(formatted);
  });

  it.each([
    "function is_member(uuid)",
    "view member_directory",
    "policy members on projects",
    "index x",
    "function orgstack.f(uuid); drop table x",
    "rls public.projects",
  ])("refuses '%s' with the forms it accepts", (text) => {
    expect(parseIdentity(text)).toBe(
      `expected 'function <schema>.<name>(<arg types>)', 'view <schema>.<name>', 'trigger <name> on <schema>.<table>', ` +
        `'policy "<name>" on <schema>.<table>', 'index <schema>.<name>', 'rls on <schema>.<table>', 'cron_job <name>' or ` +
        `'database_connect <database>'; found '${text}'.`,
    );
  });

  it("quotes every identifier of a drop statement", () => {
    const policy = parseIdentity(`policy "members can select projects" on public.projects`);
    expect(getDropStatement(policy as Exclude<typeof policy, string>)).toBe(
      `drop policy if exists "members can select projects" on "public"."projects"`,
    );
  });
});

describe("parseObjectFile", () => {
  it("reads the identity and requirements from the header", () => {
    const sql =
      "-- orgstack:object trigger t_set on public.t\n-- orgstack:requires function orgstack.f()\ncreate trigger ...;";
    expect(parseObjectFile("sql/objects/public/triggers/t_set.sql", sql)).toEqual({
      spec: {
        identity: { kind: "trigger", name: "t_set", schema: "public", table: "t" },
        definition: sql,
        requires: [{ kind: "function", schema: "orgstack", name: "f", args: "" }],
        source: "sql/objects/public/triggers/t_set.sql",
      },
      problems: [],
    });
  });

  it("names a missing header", () => {
    expect(
      parseObjectFile("sql/objects/public/views/v.sql", "create view public.v as select 1;")
        .problems,
    ).toEqual([
      "'sql/objects/public/views/v.sql' has no '-- orgstack:object <identity>' header naming what it defines.",
    ]);
  });

  it("names an unknown header, a second object and a file in the wrong folder", () => {
    const sql =
      "-- orgstack:object view public.v\n-- orgstack:object view public.w\n-- orgstack:flavour postgres\nselect 1;";
    expect(parseObjectFile("sql/objects/orgstack/functions/v.sql", sql).problems).toEqual([
      "'sql/objects/orgstack/functions/v.sql' line 2: a second '-- orgstack:object' header; keep one object per file.",
      "'sql/objects/orgstack/functions/v.sql' line 3: unknown header '-- orgstack:flavour postgres'. Allowed: '-- orgstack:object <identity>', '-- orgstack:requires <identity>'.",
      "'sql/objects/orgstack/functions/v.sql' defines view public.v, so it belongs in sql/objects/public/views/.",
    ]);
  });
});

function spec(
  identity: string,
  requires: string[] = [],
  source = `${identity}.sql`,
): SqlObjectSpec {
  const parse = (text: string) => {
    const parsed = parseIdentity(text);
    if (typeof parsed === "string") throw new Error(parsed);
    return parsed;
  };
  return { identity: parse(identity), definition: "", requires: requires.map(parse), source };
}

describe("object graph", () => {
  it("orders each object after what it requires", () => {
    const ordered = orderObjects([
      spec("trigger t_set on public.t", ["function orgstack.f()"]),
      spec("view public.v"),
      spec("function orgstack.f()"),
    ]);
    expect(ordered.map((s) => formatIdentity(s.identity))).toEqual([
      "function orgstack.f()",
      "trigger t_set on public.t",
      "view public.v",
    ]);
  });

  it("names a cycle", () => {
    expect(() =>
      orderObjects([
        spec("view public.a", ["view public.b"]),
        spec("view public.b", ["view public.a"]),
      ]),
    ).toThrow(
      new Error(
        "Invalid SQL objects:\n" +
          "  - Objects require each other in a cycle: view public.a -> view public.b -> view public.a.",
      ),
    );
  });

  it("names duplicates and unknown requirements", () => {
    expect(() =>
      validateObjectGraph([
        spec("view public.a", [], "one.sql"),
        spec("view public.a", ["function orgstack.missing()"], "two.sql"),
      ]),
    ).toThrow(
      new Error(
        "Invalid SQL objects:\n" +
          "  - view public.a is defined twice: in 'one.sql' and in 'two.sql'.\n" +
          "  - 'two.sql' requires function orgstack.missing(), which no object file or component declares.",
      ),
    );
  });
});

describe("findDestructiveStatements", () => {
  it("finds data loss with PostgreSQL's parser, not text matching", async () => {
    const sql = [
      "-- drop table in a comment is fine",
      "create table t (drop_table text);",
      "insert into t values ('drop table t');",
      "delete from t where drop_table = 'x';",
      "delete from t;",
      "drop schema s cascade;",
      "drop index i;",
      "drop function f() cascade;",
      "drop database d;",
      "drop materialized view m;",
    ].join("\n");
    expect(await findDestructiveStatements(sql)).toEqual([
      { line: 5, action: "DELETE without WHERE" },
      { line: 6, action: "DROP SCHEMA" },
      { line: 8, action: "DROP ... CASCADE" },
      { line: 9, action: "DROP DATABASE" },
      { line: 10, action: "DROP MATERIALIZED VIEW" },
    ]);
  });
});
