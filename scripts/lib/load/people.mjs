// The 50 simulated people: each a loop of "do one thing, then think". They browse pages as a signed-in browser
// does (the HTML, then the static assets it links to that this browser has not fetched yet), read the API, and
// decide: engineers register versions with their reports and request promotions; ML Leads approve or reject from
// their inbox, sometimes two of them the same request at the same moment, on purpose.
import { performance } from "node:perf_hooks";
import { C, PAGES } from "./categories.mjs";
import { registerReadyVersionRecorded, TEAM } from "./prepare.mjs";

const COMMENTS = {
  approve: [
    "Gates pass, lineage is complete and the offline metrics improved.",
    "Checked the evaluation reports and the data validation; fine for staging.",
    "Reviewed the diff against the current holder; approving for staging.",
  ],
  reject: [
    "The training data snapshot is older than the policy allows for this model.",
    "Latency regressed in the offline benchmark; please investigate first.",
  ],
};
const JUSTIFICATION = "Retrained on this week's data; offline AUC is up, latency unchanged.";
/** Share of decisions made by two leads at once on the same request. */
const CONFLICT_SHARE = 0.15;

const pick = (items) => items[Math.floor(Math.random() * items.length)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs every person until `stopAt` (performance.now() time); resolves when each has finished what it was doing.
 * `thinkMs` is the mean pause between actions (uniform from half to one and a half times it).
 */
export async function runPeople({ people, models, conflicts, rollout, recorder, stopAt, thinkMs, counters }) {
  const leads = people.filter((p) => p.role === "ml-lead");
  const world = { models, rollout, leads, counters, deciding: new Set(), reserved: [...conflicts], reservedIds: new Set(conflicts.map((c) => c.id)) };
  for (const p of people) {
    p.client.recorder = recorder;
    p.seen = new Set(); // static assets this browser has cached
  }
  await Promise.all(
    people.map(async (p) => {
      // Arrivals spread over one think time, not all in the first millisecond.
      await sleep(Math.random() * thinkMs);
      while (performance.now() < stopAt) {
        await act(p, world);
        await sleep(thinkMs * (0.5 + Math.random()));
      }
    }),
  );
}

async function act(p, world) {
  const r = Math.random();
  if (p.role === "engineer") {
    if (r < 0.25) return work(p, world);
    return r < 0.45 ? apiRead(p, world) : browse(p, world);
  }
  if (p.role === "ml-lead") {
    if (r < 0.4) return decide(p, world);
    return r < 0.55 ? apiRead(p, world) : browse(p, world);
  }
  return r < 0.25 ? apiRead(p, world) : browse(p, world);
}

function pages(p, world) {
  const model = pick(world.models);
  const list = [
    [PAGES.overview, "/"],
    [PAGES.models, "/models"],
    [PAGES.model, `/models/${model.name}`],
    [PAGES.version, `/models/${model.name}/versions/${1 + Math.floor(Math.random() * model.latest)}`],
    [PAGES.promotions, "/promotions"],
    [PAGES.rollout, `/rollouts/${world.rollout.id}`],
  ];
  if (p.role === "ml-lead" || p.role === "engineer") list.push([PAGES.approvals, "/approvals"]);
  if (p.role === "auditor" || p.role === "compliance-officer") list.push([PAGES.audit, "/audit"]);
  return list;
}

async function browse(p, world) {
  const [category, path] = pick(pages(p, world));
  const res = await p.client.send({ path, category, headers: { accept: "text/html,application/xhtml+xml" } });
  if (res.status !== 200) return;
  // Like a browser with a warm cache: the scripts and styles it has not loaded before, six at a time.
  const assets = [...new Set([...res.text().matchAll(/(?:src|href)="(\/_next\/static\/[^"]+)"/g)].map((m) => m[1]))].filter((a) => !p.seen.has(a));
  for (const a of assets) p.seen.add(a);
  for (let i = 0; i < assets.length; i += 6) await Promise.all(assets.slice(i, i + 6).map((a) => p.client.send({ path: a, category: C.static, keepBody: false })));
}

async function apiRead(p, world) {
  const model = pick(world.models);
  const reads = [
    `/api/v1/models?team=${TEAM}&limit=20`,
    `/api/v1/models/${model.name}`,
    `/api/v1/models/${model.name}/versions?limit=20`,
    `/api/v1/models/${model.name}/aliases`,
    `/api/v1/promotions?open=true&limit=20`,
    `/api/v1/rollouts/${world.rollout.id}`,
    `/api/v1/rollouts/${world.rollout.id}/series?metric=latency_p95_ms&range=hour`,
    `/api/v1/notifications/unread-count`,
  ];
  if (p.role === "auditor" || p.role === "compliance-officer") reads.push("/api/v1/audit?limit=20");
  await p.client.send({ path: pick(reads), category: C.read });
}

/** An engineer registers the next version of their model with its reports, and asks for it in staging. */
async function work(p, world) {
  const model = world.models.find((m) => m.name === p.model);
  const version = await registerReadyVersionRecorded(p.client, model.name, world.counters);
  if (version === null) return;
  model.latest = Math.max(model.latest, version);
  const res = await p.client.send({ method: "POST", path: "/api/v1/promotions", body: { model: model.name, version, stage: "staging", justification: JUSTIFICATION }, category: C.request });
  if (res.status === 201) world.counters.requests += 1;
}

/**
 * An ML Lead looks at what waits for them and decides one. The requests set aside for it, then now and then any
 * other, are decided by a second lead at the same moment: one decision is accepted, the other gets a 409.
 */
async function decide(p, world) {
  const inbox = await p.client.send({ path: "/api/v1/promotions?status=awaiting-approval&limit=50", category: C.read });
  if (inbox.status !== 200) return;
  const reserved = world.reserved.shift();
  if (reserved) return pair(p, reserved, world);
  const waiting = inbox.json().items.filter((i) => i.team === TEAM && !world.deciding.has(i.id) && !world.reservedIds.has(i.id));
  if (waiting.length === 0) return;
  // The oldest few: leads working the same inbox pick the same requests now and then, and the later one gets a 409.
  const request = pick(waiting.slice(-3));
  if (Math.random() < CONFLICT_SHARE) return pair(p, request, world);
  await send(p, request, decision(), world);
}

const decision = () => (Math.random() < 0.8 ? "approve" : "reject");

async function pair(p, request, world) {
  const other = pick(world.leads.filter((l) => l !== p));
  world.deciding.add(request.id);
  const [a, b] = await Promise.all([send(p, request, decision(), world), send(other, request, decision(), world)]);
  world.deciding.delete(request.id);
  const accepted = [a, b].filter((s) => s === 201).length;
  world.counters.conflictPairs += 1;
  if (accepted === 1 && [a, b].includes(409)) world.counters.conflictOneAccepted += 1;
  if (accepted === 2) world.counters.conflictBothAccepted += 1;
}

async function send(p, request, decision, world) {
  const res = await p.client.send({ method: "POST", path: `/api/v1/promotions/${request.id}/decisions`, body: { decision, comment: pick(COMMENTS[decision]) }, category: C.decide });
  if (res.status === 201) {
    world.counters.decisions += 1;
    if (decision === "approve" && res.json().status === "applied") world.counters.aliasMoves += 1;
  }
  return res.status;
}
