import { parsePolicy } from "./lib/policy/parse";
const texts = [
`stages:
  production:
    gates:
      - id: auc
        type: metric
        metric: auc
        min: high
      - id: x
        type: magic
      - id: auc
        type: lineage
    approvals:
      quorum:
        - role: ml-lead
          cuont: 1
`,
`stages:
  production:
    gates: [ { id: a, type: metric }
`,
`stages:
  staging:
    gates:
      - id: d
        type: drift
        psiMax: 0.2
        critical: [amount]
freeze:
  - name: year-end
    start: 2026-12-20T00:00:00Z
    end: 2027-01-04T00:00:00Z
`,
"a: 1\na: 2\n",
"- 1\n",
""];
for (const t of texts) console.log(JSON.stringify(parsePolicy(t), (k, v) => (k === "source" ? undefined : v), 1).slice(0, 1500));
