// The demo's model policies. docs/policy.md quotes the first two in full; a test keeps them equal.

/** The seeds' exercise 1: a weekly-retrained fraud model, gated on data, metrics, latency, fairness, security and observability, with one human approval. */
export const FRAUD_DETECTOR_POLICY = `# fraud-detector: retrained weekly on the newest transactions.
description: Block drifted retrains before staging; prove quality, speed, fairness and operability before production.
stages:
  staging:
    gates:
      - id: drift
        type: drift
        psiMax: 0.2
        critical: [amount, account_age_days]
        onFail: Investigate the shifted features before retraining again; do not promote this build.
  production:
    gates:
      - id: data-validation
        type: data-validation
        checks: [no nulls in key columns, schema matches feature set]
        onFail: Fix the failing data checks in the feature pipeline and attach a new validation report.
      - id: auc
        type: metric
        metric: auc
        min: 0.90
        onFail: The model is not accurate enough to block fraud in production.
      - id: no-auc-regression
        type: no-regression
        metric: auc
        tolerance: { absolute: 0.005 }
      - id: latency
        type: metric
        report: latency
        metric: p95
        max: 50
        onFail: Card authorisation allows 50 ms for scoring; profile the model or use a larger resource class.
      - id: fairness
        type: fairness
        attribute: age_band
        minParityRatio: 0.8
        onFail: Review the decision threshold per age band with the fairness working group.
      - id: security
        type: security-scan
        failOn: high
      - id: observability
        type: observability-ready
        require: [dashboard, alert, logs]
        onFail: Link the live dashboard, the paging alert and the serving logs before going live.
      - id: environment
        type: environment-parity
        against: holder
        onFail: Production runs on CPU; a model that needs a GPU needs a capacity plan first.
    approvals:
      quorum:
        - role: ml-lead
          count: 1
      electronicSignature: never
      ttl: 3d
`;

/** The regulated credit-risk policy of the policy issue's worked example. */
export const CREDIT_RISK_POLICY = `# credit-risk: regulated (consumer credit). Every production change is shadowed, then canaried, and signed off
# by an ML Lead and a compliance officer with electronic signatures.
description: Regulated model policy for consumer credit decisions.
stages:
  production:
    gates:
      - id: auc
        type: metric
        metric: auc
        min: 0.90
      - id: fairness
        type: fairness
        minParityRatio: 0.8
      - id: latency
        type: metric
        report: latency
        metric: p95
        max: 150
      - id: security
        type: security-scan
        failOn: low
        onFail: Regulated models ship with a clean scan; resolve every finding above informational.
      - id: lineage
        type: lineage
      - id: environment
        type: environment-parity
      - id: no-auc-regression
        type: no-regression
        metric: auc
        tolerance: { absolute: 0.01 }
    approvals:
      quorum:
        - role: ml-lead
          count: 1
        - role: compliance-officer
          count: 1
      electronicSignature: always
      ttl: 5d
    rollout:
      strategy: shadow-then-canary
      shadow: { minDuration: 7d, stableDays: 7 }
      canary:
        steps:
          - { percent: 10, hold: 24h }
          - { percent: 50, hold: 24h }
          - { percent: 100, hold: 24h }
      checkpoints:
        - { after: shadow, role: compliance-officer }
      criteria:
        - metric: auc
          kind: mean
          critical: true
          advance: { absolute: 0.01 }
          rollback: { absolute: 0.02 }
        - metric: parity_ratio
          advance: { min: 0.8 }
          rollback: { min: 0.75 }
        - metric: latency_p95_ms
          kind: percentile
          direction: lower
          advance: { max: 150 }
          rollback: { max: 200 }
      verdict: { pass: 95, marginal: 75 }
      watchWindow: 72h
`;

/** The search pair of prisma/demo-releases.ts: a new encoder goes to staging only with an ML Lead's approval. */
export const QUERY_ENCODER_POLICY = `# query-encoder: every search ranker reads its embeddings, so a new encoder is reviewed before staging.
description: An ML Lead of growth approves every new encoder before it serves staging traffic.
stages:
  staging:
    approvals:
      quorum:
        - role: ml-lead
          count: 1
`;

/** The ranker that needs the encoder: it reads the encoder's embeddings, so it moves only beside an encoder it was trained with. */
export const SEARCH_RANKER_POLICY = `# search-ranker: reads query-encoder's embeddings. From v3 on, encoder and ranker are trained on the multilingual
# embedding space, so they ship together (in a release) and never beside an older encoder.
description: Serve the ranker only beside a query encoder whose embeddings it was trained on.
stages:
  staging:
    approvals:
      quorum:
        - role: ml-lead
          count: 1
dependencies:
  - requires: query-encoder
    versions: ">=3"
    signature: true
    sameFeatureSet: true
`;

export const DEMO_POLICIES: Record<string, string> = { "fraud-detector": FRAUD_DETECTOR_POLICY, "credit-risk": CREDIT_RISK_POLICY, "query-encoder": QUERY_ENCODER_POLICY, "search-ranker": SEARCH_RANKER_POLICY };
