/**
 * Deferred acceptance (Gale & Shapley 1962) for two-way selection (双向选择,
 * MODEL.md §3.6): candidates propose to posts in the order of their utility,
 * each post holds the best-scored proposal so far. The result is the stable
 * matching that is best for candidates among stable matchings.
 *
 * Input in compressed rows: proposer i's acceptable receivers, best first, are
 * recv[start[i] .. start[i+1]), with the receiver's score of that proposer in
 * score[] at the same positions. Ties in score go to the lower proposer index.
 */
export interface Matching {
  /** Receiver matched to each proposer, -1 if none. */
  proposerMatch: Int32Array;
  /** Proposer matched to each receiver, -1 if none. */
  receiverMatch: Int32Array;
}

export function deferredAcceptance(nProposers: number, nReceivers: number, start: Int32Array, recv: Int32Array, score: Float64Array): Matching {
  const next = new Int32Array(nProposers);
  for (let i = 0; i < nProposers; i++) next[i] = start[i]!;
  const held = new Int32Array(nReceivers).fill(-1);
  const heldScore = new Float64Array(nReceivers);
  const heldEdge = new Int32Array(nReceivers);
  const free: number[] = [];
  for (let i = nProposers - 1; i >= 0; i--) free.push(i);
  while (free.length > 0) {
    const i = free.pop()!;
    while (next[i]! < start[i + 1]!) {
      const e = next[i]!++;
      const r = recv[e]!;
      const sc = score[e]!;
      const h = held[r]!;
      if (h < 0) {
        held[r] = i; heldScore[r] = sc; heldEdge[r] = e;
        break;
      }
      if (sc > heldScore[r]! || (sc === heldScore[r]! && i < h)) {
        held[r] = i; heldScore[r] = sc; heldEdge[r] = e;
        free.push(h);
        break;
      }
    }
  }
  const proposerMatch = new Int32Array(nProposers).fill(-1);
  for (let r = 0; r < nReceivers; r++) if (held[r]! >= 0) proposerMatch[held[r]!] = r;
  return { proposerMatch, receiverMatch: held };
}
