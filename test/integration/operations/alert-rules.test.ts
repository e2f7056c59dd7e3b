// The alert rules under infra/prometheus/ pass `promtool check rules` and their unit tests
// (`promtool test rules`), and every series they read is one Keel exports.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { KeelMetrics } from '../../../runtime/metrics';
import { describeWith, PROMTOOL_PATH } from '../../support/prerequisites';

const run = promisify(execFile);
const PROMETHEUS = path.resolve(__dirname, '..', '..', '..', 'infra', 'prometheus');
const ruleFiles = readdirSync(path.join(PROMETHEUS, 'rules')).filter((file) => file.endsWith('.yml')).map((file) => path.join('rules', file));
const testFiles = readdirSync(path.join(PROMETHEUS, 'tests')).filter((file) => file.endsWith('.yml')).map((file) => path.join('tests', file));

type RuleGroup = { name: string; rules: Array<{ alert?: string; record?: string; expr: string }> };
const groups: RuleGroup[] = ruleFiles.flatMap((file) => (parseYaml(readFileSync(path.join(PROMETHEUS, file), 'utf8')) as { groups: RuleGroup[] }).groups);

describe('the alert rules', () => {
  it('name the seven alerts the runbook describes', () => {
    const alerts = groups.flatMap((group) => group.rules.map((rule) => rule.alert)).filter(Boolean);
    expect(alerts.sort()).toEqual(['KeelCircuitFlapping', 'KeelModelTierAllOpen', 'KeelReviewBacklogOld', 'KeelRunErrorRateHigh', 'KeelStepOverheadHigh', 'KeelTenantBudgetBurn', 'KeelWorkerDown']);
  });

  it("read only series Keel exports (or Prometheus's own up)", async () => {
    const exported = new Set((await new KeelMetrics('worker', { defaultMetrics: false }).registry.getMetricsAsJSON()).map((metric) => metric.name));
    const recorded = new Set(groups.flatMap((group) => group.rules.map((rule) => rule.record)).filter(Boolean));
    const unknown = groups.flatMap((group) => group.rules).flatMap((rule) => [...rule.expr.matchAll(/\b(keel[_:][a-z0-9_:]+)/g)].map((match) => match[1]!))
      .map((name) => name.replace(/_(bucket|sum|count)$/, ''))
      .filter((name) => !exported.has(name) && !recorded.has(name));
    expect(unknown).toEqual([]);
  });
});

describeWith('prometheus')('promtool on the alert rules', () => {
  it('checks every rule file', async () => {
    const { stdout } = await run(PROMTOOL_PATH, ['check', 'rules', ...ruleFiles], { cwd: PROMETHEUS });
    expect(stdout).toContain('SUCCESS');
  });

  it('passes every rule unit test', async () => {
    const result = await run(PROMTOOL_PATH, ['test', 'rules', ...testFiles], { cwd: PROMETHEUS }).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`promtool test rules failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    });
    expect(result.stdout).toContain('SUCCESS');
    expect(result.stdout).not.toContain('FAILED');
  });
});
