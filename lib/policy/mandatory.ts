import { SEVERITIES } from "@/lib/registry/report-schemas";
import { durationSeconds } from "./duration";
import type { Gate, GateOf } from "./schema";

/**
 * How a model policy's version of a mandatory gate loosens the organisation default's: one entry per loosened
 * parameter (the field, for pointing at it, and a sentence). Empty when the model's gate is at least as strict.
 * Pure; the table of cases is in mandatory.test.ts.
 */
export type Loosening = { field: string | null; message: string };

const tighterMin = (field: string, d: number | undefined, m: number | undefined, what: string): Loosening[] =>
  d === undefined ? [] : m === undefined ? [{ field: null, message: `removes ${what} (the default requires at least ${d})` }] : m < d ? [{ field, message: `lowers ${what} from ${d} to ${m}` }] : [];
const tighterMax = (field: string, d: number | undefined, m: number | undefined, what: string): Loosening[] =>
  d === undefined ? [] : m === undefined ? [{ field: null, message: `removes ${what} (the default allows at most ${d})` }] : m > d ? [{ field, message: `raises ${what} from ${d} to ${m}` }] : [];
const superset = (field: string, d: readonly string[] | undefined, m: readonly string[] | undefined, what: string): Loosening[] => {
  const missing = (d ?? []).filter((x) => !(m ?? d ?? []).includes(x));
  return missing.length ? [{ field, message: `drops ${missing.join(", ")} from ${what}` }] : [];
};
const same = (field: string, d: unknown, m: unknown, what: string): Loosening[] => (d === m ? [] : [{ field, message: `changes ${what} from ${String(d)} to ${String(m)}` }]);

export function loosenings(d: Gate, m: Gate): Loosening[] {
  if (m.enabled === false) return [{ field: "enabled", message: "switches it off" }];
  if (d.type !== m.type) return [{ field: "type", message: `changes its type from ${d.type} to ${m.type}` }];
  switch (d.type) {
    case "metric": {
      const g = m as GateOf<"metric">;
      return [...same("metric", d.metric, g.metric, "the metric"), ...same("report", d.report, g.report, "the report"), ...tighterMin("min", d.min, g.min, "the minimum"), ...tighterMax("max", d.max, g.max, "the maximum")];
    }
    case "no-regression": {
      const g = m as GateOf<"no-regression">;
      const dt = d.tolerance ?? { absolute: 0 };
      const mt = g.tolerance ?? { absolute: 0 };
      const tolerance =
        (dt.absolute !== undefined) !== (mt.absolute !== undefined)
          ? [{ field: "tolerance", message: "changes the tolerance between absolute and relative" }]
          : [...tighterMax("tolerance.absolute", dt.absolute, mt.absolute, "the absolute tolerance"), ...tighterMax("tolerance.relative", dt.relative, mt.relative, "the relative tolerance")];
      return [...same("metric", d.metric, g.metric, "the metric"), ...same("report", d.report, g.report, "the report"), ...same("direction", d.direction, g.direction, "the direction"), ...tolerance];
    }
    case "tests-passed": {
      const g = m as GateOf<"tests-passed">;
      return [...superset("suites", d.suites, g.suites ?? [], "the required suites"), ...tighterMin("minTests", d.minTests, g.minTests, "the minimum number of tests")];
    }
    case "data-validation":
      return superset("checks", d.checks, (m as GateOf<"data-validation">).checks ?? [], "the required checks");
    case "drift": {
      const g = m as GateOf<"drift">;
      const critical =
        d.critical === "all" ? (g.critical === "all" ? [] : [{ field: "critical", message: "no longer treats every feature as critical" }]) : g.critical === "all" ? [] : superset("critical", d.critical, g.critical ?? [], "the critical features");
      const perFeature = Object.entries(d.features ?? {}).flatMap(([name, f]) => {
        const mf = g.features?.[name] ?? {};
        const path = `features.${name}`;
        return [
          ...tighterMax(`${path}.psiMax`, f.psiMax, mf.psiMax ?? g.psiMax, `${name}'s PSI limit`),
          ...tighterMax(`${path}.ksMaxStatistic`, f.ksMaxStatistic, mf.ksMaxStatistic ?? g.ksMaxStatistic, `${name}'s KS statistic limit`),
          ...tighterMin(`${path}.ksMinPvalue`, f.ksMinPvalue, mf.ksMinPvalue ?? g.ksMinPvalue, `${name}'s KS p-value floor`),
          ...(f.critical && mf.critical === false ? [{ field: `${path}.critical`, message: `no longer treats ${name} as critical` }] : []),
        ];
      });
      return [
        ...tighterMax("psiMax", d.psiMax, g.psiMax, "the PSI limit"),
        ...tighterMax("ksMaxStatistic", d.ksMaxStatistic, g.ksMaxStatistic, "the KS statistic limit"),
        ...tighterMin("ksMinPvalue", d.ksMinPvalue, g.ksMinPvalue, "the KS p-value floor"),
        ...critical,
        ...perFeature,
      ];
    }
    case "fairness": {
      const g = m as GateOf<"fairness">;
      const dParity = d.minParityRatio ?? (d.minEqualizedOddsRatio === undefined ? 0.8 : undefined);
      const mParity = g.minParityRatio ?? (g.minEqualizedOddsRatio === undefined ? 0.8 : undefined);
      return [...same("attribute", d.attribute, g.attribute, "the attribute"), ...tighterMin("minParityRatio", dParity, mParity, "the minimum parity ratio"), ...tighterMin("minEqualizedOddsRatio", d.minEqualizedOddsRatio, g.minEqualizedOddsRatio, "the minimum equalized-odds ratio")];
    }
    case "security-scan": {
      const g = m as GateOf<"security-scan">;
      // SEVERITIES runs from critical down to info: failing on a later entry is stricter.
      return SEVERITIES.indexOf(g.failOn) < SEVERITIES.indexOf(d.failOn) ? [{ field: "failOn", message: `fails only from ${g.failOn} instead of from ${d.failOn}` }] : [];
    }
    case "observability-ready":
      return superset("require", d.require ?? ["dashboard", "alert", "logs"], (m as GateOf<"observability-ready">).require ?? ["dashboard", "alert", "logs"], "the required links");
    case "environment-parity": {
      const g = m as GateOf<"environment-parity">;
      return [...same("against", d.against, g.against, "what it compares against"), ...superset("fields", d.fields ?? [], g.fields ?? [], "the compared fields")];
    }
    case "stage-order": {
      const g = m as GateOf<"stage-order">;
      const dExc = (d.exceptions ?? []).flatMap((e) => e.versions);
      const added = (g.exceptions ?? []).flatMap((e) => e.versions).filter((v) => !dExc.includes(v));
      return [
        ...(d.requires === "holds-now" && g.requires === "held-before" ? [{ field: "requires", message: "accepts a version that only held the earlier stage in the past" }] : []),
        ...same("stage", d.stage, g.stage, "the required stage"),
        ...(added.length ? [{ field: "exceptions", message: `adds exceptions for version${added.length > 1 ? "s" : ""} ${added.join(", ")}` }] : []),
      ];
    }
    case "report-fresh": {
      const g = m as GateOf<"report-fresh">;
      const longer = (durationSeconds(g.maxAge) ?? Infinity) > (durationSeconds(d.maxAge) ?? Infinity);
      return [...same("report", d.report, g.report, "the report"), ...(longer ? [{ field: "maxAge", message: `allows reports up to ${g.maxAge} old instead of ${d.maxAge}` }] : [])];
    }
    case "signature-compatible":
    case "lineage":
    case "rollback-ready":
      return [];
  }
}
