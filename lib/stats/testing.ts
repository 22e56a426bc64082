/** The fixtures' sample generator (make_fixtures.py: lcg_uniform), exact in IEEE doubles on both sides. */
export type SampleSpec = { values: number[] } | { seed: number; n: number; decimals?: number; scale?: number; shift?: number };

export function lcgUniform(seed: number, n: number, decimals?: number): number[] {
  let x = BigInt(seed);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    x = (1664525n * x + 1013904223n) % 4294967296n;
    let v = Number(x) / 4294967296;
    if (decimals !== undefined) v = Math.floor(v * 10 ** decimals) / 10 ** decimals;
    out.push(v);
  }
  return out;
}

export function sample(spec: SampleSpec): number[] {
  if ("values" in spec) return spec.values;
  return lcgUniform(spec.seed, spec.n, spec.decimals).map((v) => v * (spec.scale ?? 1) + (spec.shift ?? 0));
}
