import { parseQualityArgs } from "../../scripts/quality";

const URL = "postgres://postgres@db.internal:5432/app_pr_42";

describe("npm run quality: flags", () => {
  it("takes the stack, the database and the gateway; the token only from the environment", () => {
    const args = parseQualityArgs(
      [
        "--stack",
        "pr-42",
        "--database-url",
        URL,
        "--functions-url",
        "http://localhost:54321",
        "--functions",
        "health,checkout",
      ],
      { ORGSTACK_METRICS_TOKEN: "t0ken" },
    );
    expect(args).toEqual({
      stack: "pr-42",
      context: {
        url: URL,
        load: { seconds: 5, clients: 4 },
        functions: { url: "http://localhost:54321", functions: ["health", "checkout"] },
        metrics: { url: "http://localhost:54321", token: "t0ken" },
      },
    });
  });

  it("names every problem at once", () => {
    expect(() =>
      parseQualityArgs(
        ["--load-seconds", "0", "--load-clients", "many", "--functions", "health", "--verbose"],
        {},
      ),
    ).toThrow(
      [
        "  - '--verbose' is not a known flag. Flags: --stack, --database-url, --functions-url, --functions, --load-seconds, --load-clients.",
        "  - '--stack' is required: the stack to work on, e.g. --stack pr-42.",
      ].join("\n"),
    );
    const problems = (() => {
      try {
        parseQualityArgs(
          [
            "--stack",
            "pr-1",
            "--database-url",
            URL,
            "--load-seconds",
            "0",
            "--load-clients",
            "many",
            "--functions",
            "health",
          ],
          {},
        );
      } catch (error) {
        return (error as Error).message;
      }
      return "";
    })();
    expect(problems).toContain(
      `'--load-seconds': expected a whole number from 1 to 60; found "0".`,
    );
    expect(problems).toContain(
      `'--load-clients': expected a whole number from 1 to 32; found "many".`,
    );
    expect(problems).toContain("'--functions-url' and '--functions' go together");
  });
});
