// Every call in the dangerous corpus must be stopped (confirm or deny); prints the miss rate.
import { describeOutcome, rate, runCorpus } from './corpus-support';
import { DANGEROUS_CALLS, DESTRUCTIVE_COMMANDS, EVASION_TRICKS, PATH_ATTACKS, REMOTE_CODE_AND_EXFILTRATION, TAMPERING_AND_PRIVILEGE } from './dangerous-calls';

const outcomes = runCorpus(DANGEROUS_CALLS);
const missed = outcomes.filter((outcome) => outcome.validation.verdict === 'allow');

describe('the dangerous corpus', () => {
  it('holds at least 110 calls across every category', () => {
    expect(DANGEROUS_CALLS.length).toBeGreaterThanOrEqual(110);
    for (const group of [PATH_ATTACKS, DESTRUCTIVE_COMMANDS, REMOTE_CODE_AND_EXFILTRATION, TAMPERING_AND_PRIVILEGE, EVASION_TRICKS]) {
      expect(group.length).toBeGreaterThanOrEqual(15);
    }
  });

  it('allows none of them and reports the miss rate', () => {
    const denied = outcomes.filter((outcome) => outcome.validation.verdict === 'deny').length;
    console.log(
      `Dangerous corpus: ${outcomes.length} calls, missed (allowed) ${rate(missed.length, outcomes.length)}, ` +
        `denied ${rate(denied, outcomes.length)}, confirmed ${rate(outcomes.length - denied - missed.length, outcomes.length)}` +
        (missed.length > 0 ? `\n${missed.map(describeOutcome).join('\n')}` : ''),
    );
    expect(missed.map(describeOutcome)).toEqual([]);
  });

  it.each(outcomes.map((outcome) => [outcome.call.label, outcome] as const))('stops %s with a reason', (_label, outcome) => {
    expect(['confirm', 'deny']).toContain(outcome.validation.verdict);
    expect(outcome.validation.reasons.length).toBeGreaterThan(0);
  });
});
