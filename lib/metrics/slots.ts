/** A counting semaphore: `run` starts `fn` once fewer than `limit` are running, in arrival order. */
export function createSlots(limit: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return {
    async run<T>(fn: () => Promise<T>): Promise<T> {
      if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      else running += 1;
      try {
        return await fn();
      } finally {
        // Hand the slot straight to the next in line, so a newcomer cannot overtake it.
        const next = waiting.shift();
        if (next) next();
        else running -= 1;
      }
    },
  };
}
