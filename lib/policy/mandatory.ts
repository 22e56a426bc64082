import { SEVERITIES } from "@/lib/registry/report-schemas";
import { durationSeconds } from "./duration";
import { ENVIRONMENT_FIELDS, type Gate, type GateOf } from "./schema";

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

/** The features a drift gate treats as critical, as driftGate decides: every one unless some are named, minus those switched off. */
function criticalFeatures(g: GateOf<"drift">): { all: boolean; names: string[]; off: string[] } {
  const perFeature = Object.entries(g.features ?? {});
  const flagged = perFeature.filter(([, f]) => f.critical).map(([name]) => name);
  const off = perFeature.filter(([, f]) => f.critical === false).map(([name]) => name);
  const all = g.critical === "all" || (g.critical === undefined && flagged.length === 0);
  const names = all ? [] : [...(g.critical === "all" ? [] : (g.critical ?? [])), ...flagged].filter((name) => !off.includes(name));
  return { all, names, off };
}

/** The fields environment-parity compares against the holder when the gate lists none (see environmentGate). */
const HOLDER_FIELDS = ["runtime", "accelerator", "resourceClass"];

export function loosenings(d: Gate, m: Gate): Loosening[] {
  if (m.enabled === false) return [{ field: "enabled", message: "switches it off" }];
  if (d.type !== m.type) return [{ field: "type", message: `changes its type from ${d.type} to ${m.type}` }];
  switch (d.type) {
    case "metric": {
      const g = m as GateOf<"metric">;
      return [...same("metric", d.metric, g.metric, "the metric"), ...same("report", d.report, g.report, "the report"), ...same("dataset", d.dataset, g.dataset, "the dataset"), ...tighterMin("min", d.min, g.min, "the minimum"), ...tighterMax("max", d.max, g.max, "the maximum")];
    }
    case "no-regression": {
      const g = m as GateOf<"no-regression">;
      const dt = d.tolerance ?? { absolute: 0 };
      const mt = g.tolerance ?? { absolute: 0 };
      // No tolerance (absolute 0) is the strictest there is, whichever kind the default uses.
      const tolerance =
        mt.absolute === 0
          ? []
          : (dt.absolute !== undefined) !== (mt.absolute !== undefined)
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
      const dc = criticalFeatures(d);
      const mc = criticalFeatures(g);
      const switchedOff = (names: string[]) => names.filter((name) => g.features?.[name]?.critical === false).map((name) => ({ field: `features.${name}.critical`, message: `no longer treats ${name} as critical` }));
      const critical = dc.all
        ? mc.all
          ? switchedOff(mc.off.filter((name) => !dc.off.includes(name)))
          : [{ field: "critical", message: "no longer treats every feature as critical" }]
        : mc.all
          ? switchedOff(dc.names)
          : [...switchedOff(dc.names), ...superset("critical", dc.names.filter((name) => g.features?.[name]?.critical !== false), mc.names, "the critical features")];
      // Per-feature limits, against the other side's limit for that feature (its own, else the gate's).
      const featureNames = [...new Set([...Object.keys(d.features ?? {}), ...Object.keys(g.features ?? {})])];
      const perFeature = featureNames.flatMap((name) => {
        const df = d.features?.[name] ?? {};
        const mf = g.features?.[name] ?? {};
        const path = `features.${name}`;
        const set = (k: "psiMax" | "ksMaxStatistic" | "ksMinPvalue") => df[k] !== undefined || mf[k] !== undefined;
        return [
          ...(set("psiMax") ? tighterMax(`${path}.psiMax`, df.psiMax ?? d.psiMax, mf.psiMax ?? g.psiMax, `${name}'s PSI limit`) : []),
          ...(set("ksMaxStatistic") ? tighterMax(`${path}.ksMaxStatistic`, df.ksMaxStatistic ?? d.ksMaxStatistic, mf.ksMaxStatistic ?? g.ksMaxStatistic, `${name}'s KS statistic limit`) : []),
          ...(set("ksMinPvalue") ? tighterMin(`${path}.ksMinPvalue`, df.ksMinPvalue ?? d.ksMinPvalue, mf.ksMinPvalue ?? g.ksMinPvalue, `${name}'s KS p-value floor`) : []),
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
      // No fields: the stage's declared ones (any of them) or the holder's usual three.
      const dFields = d.fields ?? (d.against === "holder" ? HOLDER_FIELDS : ENVIRONMENT_FIELDS);
      return [...same("against", d.against, g.against, "what it compares against"), ...superset("fields", dFields, g.fields ?? (d.fields ? [] : dFields), "the compared fields")];
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
