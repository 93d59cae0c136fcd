import * as fs from "fs";
import { chromium, type Browser } from "playwright-core";

/** Debian's Chromium (package `chromium`); ORGSTACK_CHROMIUM points elsewhere. */
export const CHROMIUM = process.env.ORGSTACK_CHROMIUM ?? "/usr/bin/chromium";

/**
 * Headless and quiet: no sandbox (CI runs as root, where Chromium refuses its sandbox), no GPU,
 * and none of the background traffic (updates, safe browsing, first-run pages) a test that
 * asserts "no external requests" must not see.
 */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

/** Launches Debian's Chromium through playwright-core (never `playwright install`). */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not at '${CHROMIUM}'. Install Debian's package: apt-get install -y chromium (or set ORGSTACK_CHROMIUM to its path).`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
