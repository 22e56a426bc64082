/**
 * The organisation default in force until an admin saves one (version 0, "built in"). docs/policy.md quotes it; a
 * test keeps the two equal.
 */
export const BUILT_IN_DEFAULT_POLICY = `# Organisation default promotion policy. Every model inherits it. A model's own policy may add gates and
# tighten the mandatory ones, never loosen or remove them.
description: Evidence before staging; proof of lineage, tests, security and rollback before production.
stages:
  staging:
    gates:
      - id: lineage
        type: lineage
        mandatory: true
        onFail: Register the version with its code commit, data snapshot hash and feature set version.
      - id: tests
        type: tests-passed
        mandatory: true
      - id: data-validation
        type: data-validation
    approvals:
      quorum: []  # staging promotes by itself once every gate passes
  production:
    gates:
      - id: stage-order
        type: stage-order
        requires: held-before
        mandatory: true
      - id: lineage
        type: lineage
        mandatory: true
      - id: tests
        type: tests-passed
        mandatory: true
      - id: security
        type: security-scan
        failOn: high
        mandatory: true
        onFail: Fix or formally accept the findings, then attach a new scan.
      - id: rollback-ready
        type: rollback-ready
        mandatory: true
      - id: observability
        type: observability-ready
    approvals:
      quorum:
        - role: ml-lead
          count: 1
        - role: compliance-officer
          count: 1
          when: { riskTier: regulated }
      electronicSignature: regulated
      ttl: 7d
    rollout:
      strategy: canary
      canary:
        steps:
          - { percent: 10, hold: 2h }
          - { percent: 50, hold: 2h }
          - { percent: 100, hold: 1h }
      criteria:
        - metric: error_rate
          kind: ratio
          critical: true
          advance: { absolute: 0.002 }
          rollback: { absolute: 0.005 }
        - metric: latency_p95_ms
          kind: percentile
          advance: { relative: 10 }
          rollback: { relative: 25 }
      verdict: { pass: 95, marginal: 75 }
      watchWindow: 24h
`;
