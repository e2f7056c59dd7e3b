// Risk levels a tool call can carry and the verdicts they map to, ordered from harmless to worst,
// with the comparisons the validator uses to let the strongest finding decide.

export const RISK_LEVELS = ['none', 'low', 'medium', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const VERDICTS = ['allow', 'confirm', 'deny'] as const;
export type Verdict = (typeof VERDICTS)[number];

export function riskRank(risk: RiskLevel): number {
  return RISK_LEVELS.indexOf(risk);
}

export function strongerRisk(first: RiskLevel, second: RiskLevel): RiskLevel {
  return riskRank(first) >= riskRank(second) ? first : second;
}

export function strongerVerdict(first: Verdict, second: Verdict): Verdict {
  return VERDICTS.indexOf(first) >= VERDICTS.indexOf(second) ? first : second;
}
