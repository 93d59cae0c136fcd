/**
 * npm run new -- <dir> --from <example>: a new project from the starter or an example, renamed
 * after <dir>, with its own stacks, migrations and pgTAP suites; `npm install && npm test` in
 * it passes before the first edit. Exit 2 on bad arguments, having written nothing.
 */
import * as path from "path";
import { isProblemListError } from "../components/lib/problems";
import { createProject, parseNewProjectArgs } from "../tools/kickoff/new-project";

function main(): number {
  try {
    // npm runs scripts in the package's folder; INIT_CWD is where `npm run new` was typed.
    const cwd = process.env.INIT_CWD ?? process.cwd();
    const args = parseNewProjectArgs(process.argv.slice(2), cwd);
    const files = createProject(args);
    const shown = path.relative(cwd, args.dir) || ".";
    console.log(
      `Created ${args.name} from examples/${args.from} in ${shown} (${files.length} files).`,
    );
    console.log(
      `Next:\n  cd ${shown}\n  npm install\n  npm test        # deploys its ci stack on a throwaway PostgreSQL and runs its suites`,
    );
    return 0;
  } catch (error) {
    if (!isProblemListError(error, "NewProjectError")) throw error;
    console.error(error.message);
    return 2;
  }
}

process.exit(main());
