/** Input checks shared by the statistics: a clear error naming the argument, never a silent NaN. */
export class StatsInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StatsInputError";
  }
}

export function finiteSample(name: string, values: readonly number[], minLength = 1): readonly number[] {
  if (!Array.isArray(values)) throw new StatsInputError(`${name} must be an array of numbers`);
  if (values.length < minLength) throw new StatsInputError(`${name} must hold at least ${minLength} value${minLength === 1 ? "" : "s"} (it is empty)`.replace(" (it is empty)", values.length === 0 ? " (it is empty)" : ` (it has ${values.length})`));
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) throw new StatsInputError(`${name}[${i}] is ${String(v)}; every value must be a finite number`);
  }
  return values;
}

export function finiteNumber(name: string, value: number, range?: [number, number]): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new StatsInputError(`${name} is ${String(value)}; it must be a finite number`);
  if (range && (value < range[0] || value > range[1])) throw new StatsInputError(`${name} is ${value}; it must be between ${range[0]} and ${range[1]}`);
  return value;
}
