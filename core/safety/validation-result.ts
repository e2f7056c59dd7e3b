// What validation reports: findings from the rules, and the verdict the policy derives from the
// strongest of them, with short reasons a model can act on.
import { riskRank, strongerRisk, strongerVerdict, type RiskLevel, type Verdict } from './risk-levels';
import type { SafetyPolicy } from './safety-policy';

export type SafetyFinding = {
  /** Dotted rule name, e.g. `delete.workspace-root`. */
  rule: string;
  /** One actionable sentence for the model. */
  detail: string;
  risk: RiskLevel;
};

export type ToolCallValidation = {
  verdict: Verdict;
  risk: RiskLevel;
  reasons: string[];
  findings: SafetyFinding[];
};

/** Findings under these rules force at least `confirm`, whatever the policy says about their risk. */
export const CONFIRMATION_FLOOR_RULES: ReadonlySet<string> = new Set(['shell.unparseable', 'shell.too-deep']);

export const MAX_REASONS = 5;

export function finding(rule: string, risk: RiskLevel, detail: string): SafetyFinding {
  return { rule, risk, detail };
}

export function summarizeFindings(findings: readonly SafetyFinding[], policy: SafetyPolicy): ToolCallValidation {
  const unique = deduplicate(findings).sort((first, second) => riskRank(second.risk) - riskRank(first.risk));
  const risk = unique.reduce<RiskLevel>((strongest, item) => strongerRisk(strongest, item.risk), 'none');
  let verdict = policy.riskVerdicts[risk];
  if (unique.some((item) => CONFIRMATION_FLOOR_RULES.has(item.rule))) verdict = strongerVerdict(verdict, 'confirm');
  const reasons = [...new Set(unique.filter((item) => item.risk !== 'none').map((item) => item.detail))].slice(0, MAX_REASONS);
  return { verdict, risk, reasons, findings: unique };
}

function deduplicate(findings: readonly SafetyFinding[]): SafetyFinding[] {
  const seen = new Set<string>();
  return findings.filter((item) => {
    const key = `${item.rule}\u0000${item.detail}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
