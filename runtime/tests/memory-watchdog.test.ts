import { assertEquals } from "./_assert.ts";
import { getResidentLimitMb, watchMemory } from "../memory-watchdog.ts";

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("watchMemory samples every 100 ms while busy, once a second when idle", async () => {
  let busy = true;
  let reads = 0;
  const stop = watchMemory({
    pid: 1,
    limitMb: 100,
    isBusy: () => busy,
    onExceeded: () => undefined,
    readResidentMb: () => (reads++, 50),
  });
  await wait(550);
  const busyReads = reads;
  busy = false;
  reads = 0;
  await wait(1_550);
  stop();
  assertEquals(busyReads >= 4 && busyReads <= 6, true, `busy reads in 550 ms: ${busyReads}`);
  assertEquals(reads >= 1 && reads <= 2, true, `idle reads in 1.55 s: ${reads}`);
});

Deno.test("watchMemory reports the first sample over the limit once, then stops", async () => {
  const samples = [60, 90, 130, 140];
  const exceeded: number[] = [];
  watchMemory({
    pid: 1,
    limitMb: 100,
    isBusy: () => true,
    onExceeded: (mb) => exceeded.push(mb),
    readResidentMb: () => samples.shift() ?? 0,
  });
  await wait(600);
  assertEquals(exceeded, [130]);
  assertEquals(samples, [140]);
});

Deno.test("the resident limit is the function's limit plus the runtime's 64 MB", () => {
  assertEquals(getResidentLimitMb(150), 214);
});
