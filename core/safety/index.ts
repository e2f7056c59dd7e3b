// Tool-call safety: validation rules that judge every tool call (paths, parsed shell commands)
// and the policy that turns findings into allow, confirm or deny.
export { GUARDED_TOOL_NAMES, SIDE_EFFECT_FREE_TOOLS, type GuardedToolName } from './guarded-tools';
export { decodePath, foldLookAlikes, PATH_PROBLEMS, type DecodedPath, type PathProblem } from './path-decoding';
export { HOME_PLACEHOLDER, isWithin, resolvePath, type PathContext, type RealpathReader, type ResolvedPath } from './path-confinement';
export { checkPathAccess, PATH_ACCESS, type PathAccess } from './path-findings';
export { RISK_LEVELS, VERDICTS, riskRank, strongerRisk, strongerVerdict, type RiskLevel, type Verdict } from './risk-levels';
export {
  DEFAULT_LOCAL_HOSTS,
  DEFAULT_MAX_NESTING_DEPTH,
  DEFAULT_RISK_VERDICTS,
  DEFAULT_SAFETY_POLICY,
  resolveSafetyPolicy,
  safetyPolicySchema,
  type SafetyPolicy,
  type SafetyPolicyInput,
} from './safety-policy';
export { classifyLocation, LOCATION_KINDS, type LocationKind } from './sensitive-locations';
export { analyzeShellCommand, COMMAND_RULES, type ShellAnalysisContext } from './shell-analysis';
export { flattenScript } from './shell-flattening';
export type { CommandInvocation, FlattenedScript, ResolvedWord } from './shell-invocation';
export { MAX_SHELL_SOURCE_CHARACTERS, parseShell } from './shell-syntax';
export type { ShellParseResult, ShellScript, ShellStatement, ShellWord } from './shell-syntax-tree';
export { unwrapInvocation, type EffectiveCommand } from './command-unwrapping';
export { validateToolCall, type ToolCallRequest } from './tool-call-validation';
export { CONFIRMATION_FLOOR_RULES, summarizeFindings, type SafetyFinding, type ToolCallValidation } from './validation-result';
