import { spawn } from "child_process";

/** Graphviz's layout program; Debian's `graphviz` package installs it. */
export const DOT_COMMAND = "dot";
export const GRAPHVIZ_PACKAGE = "graphviz";

/** Renders DOT text to SVG with `dot -Tsvg`, the text on stdin; rejects with dot's own message. */
export function renderSvg(dotText: string, command = DOT_COMMAND): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, ["-Tsvg"], { stdio: ["pipe", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "ENOENT"
          ? new Error(
              `Graphviz's '${command}' is not on PATH: install the Debian package '${GRAPHVIZ_PACKAGE}' (apt-get install -y ${GRAPHVIZ_PACKAGE}), or write DOT text with --out <file>.dot.`,
              { cause: error },
            )
          : new Error(`Could not run '${command}': ${error.message}`, { cause: error }),
      );
    });
    child.on("close", (code) => {
      const message = Buffer.concat(stderr).toString("utf8").trim();
      if (code === 0) resolve(Buffer.concat(stdout).toString("utf8"));
      // After a spawn error, "close" comes too: the first rejection stands.
      else
        reject(new Error(`'${command} -Tsvg' failed (exit ${code}): ${message || "no message"}.`));
    });
    // A dot that exits early closes stdin: its own error says why, not EPIPE.
    child.stdin.on("error", () => undefined);
    child.stdin.end(dotText, "utf8");
  });
}
