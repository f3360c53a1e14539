// Replays a `roei/incident@1` record into the XState machine and reads the statuses at an instant.
import { createActor, initialTransition, transition } from "xstate";
import { OBLIGATIONS } from "./machine.mjs";

const REGIONS = Object.keys(OBLIGATIONS);

/**
 * The machine's snapshot after the record's events at or before `atMs` (in time order, record order
 * among equal instants, as roei counts them), then (`query`, for `machine`, whose clock moves the
 * status regions) an `at` event at `atMs`. `leanMachine` needs no query: `statusesAt` derives.
 */
export function replay(machine, rec, atMs, query = true) {
  const c = rec.contracts[0];
  const actor = createActor(machine, { input: { contract: c.id, principal: c.principal } });
  actor.start();
  for (const ev of eventsUpTo(rec, atMs)) actor.send(ev);
  if (query) actor.send({ type: "at", at: atMs });
  const snap = actor.getSnapshot();
  actor.stop();
  return snap;
}

/**
 * The same replay with XState's pure functions, no actor: `initialTransition(machine, input)` then
 * `transition(machine, snapshot, event)` per event (the machine has only `assign` actions, which
 * both forms apply inside the transition). Same snapshot as `replay`.
 */
export function replayPure(machine, rec, atMs, query = true) {
  const c = rec.contracts[0];
  let [snap] = initialTransition(machine, { contract: c.id, principal: c.principal });
  for (const ev of eventsUpTo(rec, atMs)) [snap] = transition(machine, snap, ev);
  if (query) [snap] = transition(machine, snap, { type: "at", at: atMs });
  return snap;
}

/** The record's events at or before `atMs` as machine events, in time order (record order among equals). */
function eventsUpTo(rec, atMs) {
  const evs = rec.events;
  const times = new Array(evs.length);
  let sorted = true;
  for (let k = 0; k < evs.length; k++) {
    times[k] = Date.parse(evs[k].at);
    if (k > 0 && times[k] < times[k - 1]) sorted = false;
  }
  let idx = null;
  if (!sorted) idx = [...evs.keys()].sort((a, b) => times[a] - times[b] || a - b);
  const out = [];
  for (let j = 0; j < evs.length; j++) {
    const k = idx ? idx[j] : j;
    const t = times[k];
    if (t > atMs) break;
    const e = evs[k];
    out.push({ type: e.type, at: t, actor: e.actor, data: e.data ?? {} });
  }
  return out;
}

/** `{ clause id: status }` of a snapshot of `machine`: its status regions' states. */
export function statusesOf(snap) {
  const out = {};
  for (const r of REGIONS) out[OBLIGATIONS[r]] = snap.value[r];
  return out;
}
