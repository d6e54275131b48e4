/**
 * The hold-out draw: a share of the targets, drawn at random within each risk decile, gets no
 * action, so that the retained rate of the acted-on customers can be compared with customers of the
 * same risk mix who were left alone. Seeded (mulberry32 from lib/ml) so the same seed over the same
 * targets gives the same hold-out group; the seed is stored with the assignment.
 */
import { createRng } from "../ml/random";

export interface HoldoutCandidate {
  id: number;
  risk: number;
}

export interface HoldoutDraw {
  /** Customer id → risk decile, 1 = the tenth with the highest risk. */
  deciles: Map<number, number>;
  /** Ids drawn into the hold-out group. */
  holdout: Set<number>;
}

/** Deciles by rank (highest risk first, ties by id), so they stay balanced even when risks repeat. */
export function riskDeciles(candidates: readonly HoldoutCandidate[]): Map<number, number> {
  const ranked = [...candidates].sort((a, b) => b.risk - a.risk || a.id - b.id);
  const deciles = new Map<number, number>();
  ranked.forEach((c, rank) => {
    deciles.set(c.id, Math.floor((rank * 10) / ranked.length) + 1);
  });
  return deciles;
}

/**
 * Draws round(share × n) customers in total. Each decile gives its share rounded by the largest
 * remainder, so the total is exact and no decile is more than one customer off its share; which
 * customers within a decile is a seeded Fisher–Yates shuffle of its members ordered by id.
 */
export function drawHoldout(
  candidates: readonly HoldoutCandidate[],
  share: number,
  seed: number,
): HoldoutDraw {
  if (!(share >= 0 && share < 1)) throw new RangeError(`Hold-out share must be in [0, 1), got ${share}`);
  const deciles = riskDeciles(candidates);
  const members = new Map<number, number[]>();
  for (const c of candidates) {
    const d = deciles.get(c.id) as number;
    const list = members.get(d) ?? [];
    list.push(c.id);
    members.set(d, list);
  }
  const groups = [...members.entries()].sort((a, b) => a[0] - b[0]);
  const total = Math.round(share * candidates.length);
  const quotas = groups.map(([decile, ids]) => {
    const exact = share * ids.length;
    return { decile, ids, take: Math.floor(exact), remainder: exact - Math.floor(exact) };
  });
  let left = total - quotas.reduce((s, q) => s + q.take, 0);
  // Largest remainder first; equal remainders go to the higher-risk decile.
  for (const q of [...quotas].sort((a, b) => b.remainder - a.remainder || a.decile - b.decile)) {
    if (left <= 0) break;
    if (q.take < q.ids.length) {
      q.take += 1;
      left -= 1;
    }
  }
  const rng = createRng(seed);
  const holdout = new Set<number>();
  for (const q of quotas) {
    const ids = [...q.ids].sort((a, b) => a - b);
    for (let i = ids.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [ids[i], ids[j]] = [ids[j], ids[i]];
    }
    for (const id of ids.slice(0, q.take)) holdout.add(id);
  }
  return { deciles, holdout };
}
