import { StepLimiter } from "../../tools/engine/step-limiter";

async function measureConcurrency(limit: number, steps: number): Promise<number> {
  const limiter = new StepLimiter(limit);
  let running = 0;
  let mostAtOnce = 0;
  await Promise.all(
    Array.from({ length: steps }, () =>
      limiter.run(async () => {
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
      }),
    ),
  );
  return mostAtOnce;
}

describe("StepLimiter", () => {
  it("runs every step at once when unbounded, as `pulumi up` does by default", async () => {
    expect(await measureConcurrency(Infinity, 20)).toBe(20);
  });

  it("never runs more than `--parallel` steps at once", async () => {
    expect(await measureConcurrency(3, 20)).toBe(3);
  });

  it("lets the next step start after one fails", async () => {
    const limiter = new StepLimiter(1);
    const failed = limiter.run(async () => {
      throw new Error("step failed");
    });
    const next = limiter.run(async () => "ran");
    await expect(failed).rejects.toThrow("step failed");
    await expect(next).resolves.toBe("ran");
  });
});
