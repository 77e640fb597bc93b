/**
 * The scalars that the hot loops read, flattened once a year from the policy
 * and behaviour in force into an object of fixed shape (property reads on it
 * stay fast, unlike reads through nested scenario objects).
 */
import type { Behavior, Policy } from '../scenario/schema.js';

export interface HotParams {
  hometownAvoidance: boolean;
  requireExchange: boolean;
  twoWay: boolean;
  promotionExchangeBonus: number;
  crossSystem: number;
  lineBlock: number;
  crossIdentity: number;
  crossLevel: number;
  disciplineStrength: number;
  familySupport: number;
  stigmaRelief: number;
  domainFit: number;
  localBias: number;
  regionBias: number;
  planPriority: number;
  refusalScale: number;
  careerStep: number;
  distScale: number;
  relocationCost: number;
  stigma: number;
  utilityNoise: number;
}

export function hotParams(p: Policy, b: Behavior): HotParams {
  return {
    hometownAvoidance: p.hometownAvoidance,
    requireExchange: p.requireExchangeForPromotion,
    twoWay: p.matching === 'two-way',
    promotionExchangeBonus: p.promotionExchangeBonus,
    crossSystem: p.barriers.crossSystem,
    lineBlock: p.barriers.lineBlock,
    crossIdentity: p.barriers.crossIdentity,
    crossLevel: p.barriers.crossLevel,
    disciplineStrength: p.disciplineStrength,
    familySupport: p.familySupport,
    stigmaRelief: p.stigmaRelief,
    domainFit: b.domainFit,
    localBias: b.localBias,
    regionBias: b.regionBias,
    planPriority: b.planPriority,
    refusalScale: b.refusalScale,
    careerStep: b.careerStep,
    distScale: b.distScale,
    relocationCost: b.relocationCost,
    stigma: b.stigma,
    utilityNoise: b.utilityNoise,
  };
}
