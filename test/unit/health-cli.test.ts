import {
  formatHealthLine,
  getHealthExitCode,
  parseHealthArgs,
  type HealthState,
} from "../../components/monitoring/health/cli";

const ROW: HealthState = {
  check: "idle_in_transaction",
  title: "Idle in transaction",
  severity: "warning",
  status: "warning",
  subject: "4242",
  value: 73.123456,
  unit: "s",
  warn: 60,
  critical: 600,
};

describe("npm run health", () => {
  it("lists every bad flag at once", () => {
    expect(() =>
      parseHealthArgs(["--stack", "no spaces", "--bogus", "--database-url", "x"], {}),
    ).toThrow(
      [
        "Invalid arguments. Usage: npm run health -- --stack <stack> [--database-url <url>]",
        "  - '--bogus' is not a known flag. Flags: --stack, --database-url.",
        `  - '--stack': expected letters, digits, '-', '_' or '.'; found "no spaces".`,
        `  - '--database-url': expected a postgres:// URL; found "x".`,
      ].join("\n"),
    );
  });

  it("takes the password from PGPASSWORD, never from argv", () => {
    expect(
      parseHealthArgs(["--stack", "pr-42", "--database-url", "postgres://mon@db:5432/app"], {
        PGPASSWORD: "s3cret",
      }),
    ).toEqual({ url: "postgres://mon:s3cret@db:5432/app" });
    expect(() =>
      parseHealthArgs(["--stack", "pr-42", "--database-url", "postgres://mon:pw@db:5432/app"], {}),
    ).toThrow(/holds a password, which ps shows/);
  });

  it("prints one aligned line per row", () => {
    expect(formatHealthLine(ROW)).toBe(
      "warning  idle_in_transaction    4242                     73.12 s (warn 60, critical 600)",
    );
    expect(
      formatHealthLine({
        ...ROW,
        status: "ok",
        severity: null,
        subject: "",
        value: null,
        unit: "",
      }),
    ).toBe("ok       idle_in_transaction    -                        - (warn 60, critical 600)");
  });

  it("exits 1 only when something is warning or critical", () => {
    const ok = { ...ROW, status: "ok", severity: null };
    const unknown = { ...ROW, status: "unknown", severity: null };
    expect(getHealthExitCode([ok, unknown])).toBe(0);
    expect(getHealthExitCode([ok, ROW])).toBe(1);
  });
});
