/**
 * Server-side downsampling, so a series of millions of points reaches the browser as about a thousand. Pure.
 *
 * Metric series use `minMax` by default. It keeps, for every time bucket, the lowest and the highest point, so the
 * drawn line's envelope is exact at bucket resolution: a spike, a dip, or a threshold crossing can never disappear.
 * LTTB (`lttb`) keeps the visual shape with fewer points and usually keeps a spike (a far point makes a large
 * triangle), but it keeps exactly one point per bucket, so of a spike and a dip in the same bucket one is lost, and a
 * brief breach can be drawn as if it never happened. For evidence of a rollback that is not good enough.
 *
 * Both take points in time order (they sort a copy when they are not), skip points whose time or value is not a
 * finite number (a gap in the line, never an error: a chart draws what it can), and return the original point
 * objects, so extra fields ride along.
 */

export type Point = { t: number; v: number };

function usable<P extends Point>(points: readonly P[]): P[] {
  const out = points.filter((p) => Number.isFinite(p.t) && Number.isFinite(p.v));
  for (let i = 1; i < out.length; i++) {
    if (out[i].t < out[i - 1].t) return out.sort((a, b) => a.t - b.t);
  }
  return out;
}

const ends = <P extends Point>(points: P[]): P[] => (points.length <= 1 ? points : [points[0], points[points.length - 1]]);

/**
 * Largest-Triangle-Three-Buckets (Steinarsson 2013): the first and last points, and from each of `threshold` − 2
 * equal-count buckets between them the point making the largest triangle with the point kept before it and the
 * average of the next bucket. At most `threshold` points; all of them below 3 are first and last.
 */
export function lttb<P extends Point>(points: readonly P[], threshold: number): P[] {
  const data = usable(points);
  const n = data.length;
  const m = Math.floor(threshold);
  if (m >= n) return data;
  if (!(m >= 3)) return ends(data);
  const out: P[] = [data[0]];
  const every = (n - 2) / (m - 2);
  let a = 0;
  for (let i = 0; i < m - 2; i++) {
    // The next bucket's average point is the triangle's third corner (the last point, for the last bucket).
    const nextStart = Math.floor((i + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((i + 2) * every) + 1, n);
    let avgT = 0;
    let avgV = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      avgT += data[j].t;
      avgV += data[j].v;
    }
    const span = nextEnd - nextStart;
    avgT = span > 0 ? avgT / span : data[n - 1].t;
    avgV = span > 0 ? avgV / span : data[n - 1].v;
    const start = Math.floor(i * every) + 1;
    const end = Math.min(Math.floor((i + 1) * every) + 1, n - 1);
    const pa = data[a];
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      // Twice the triangle's area; times are taken relative to the kept point so epoch milliseconds lose no precision.
      const area = Math.abs((pa.t - avgT) * (data[j].v - pa.v) - (pa.t - data[j].t) * (avgV - pa.v));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out.push(data[best]);
    a = best;
  }
  out.push(data[n - 1]);
  return out;
}

/**
 * Min/max per bucket: the span from the first point to the last is cut into `buckets` equal time buckets, and each
 * keeps its lowest and its highest point, in time order (one point when they are the same point, or the bucket's
 * values are all equal). The first and last points are kept too, so at most 2 · `buckets` + 2 points; a series no
 * longer than 2 · `buckets` comes back whole. Below one bucket: first and last.
 */
export function minMax<P extends Point>(points: readonly P[], buckets: number): P[] {
  const data = usable(points);
  const n = data.length;
  if (n <= 2 * buckets) return data;
  if (!(buckets >= 1)) return ends(data);
  const count = Math.floor(buckets);
  const t0 = data[0].t;
  const width = (data[n - 1].t - t0) / count;
  const lo = new Array<number>(count).fill(-1);
  const hi = new Array<number>(count).fill(-1);
  for (let i = 0; i < n; i++) {
    const k = width > 0 ? Math.min(count - 1, Math.floor((data[i].t - t0) / width)) : 0;
    // Strict comparisons keep the earliest of equal values, so constant input keeps one point per bucket.
    if (lo[k] < 0 || data[i].v < data[lo[k]].v) lo[k] = i;
    if (hi[k] < 0 || data[i].v > data[hi[k]].v) hi[k] = i;
  }
  const keep: number[] = [0];
  for (let k = 0; k < count; k++) {
    if (lo[k] < 0) continue;
    const [first, second] = lo[k] <= hi[k] ? [lo[k], hi[k]] : [hi[k], lo[k]];
    if (first !== keep[keep.length - 1]) keep.push(first);
    if (second !== keep[keep.length - 1]) keep.push(second);
  }
  if (keep[keep.length - 1] !== n - 1) keep.push(n - 1);
  return keep.map((i) => data[i]);
}
