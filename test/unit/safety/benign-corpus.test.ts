// Every call in the benign corpus must be allowed without asking; prints the false-positive rate.
import { describeOutcome, rate, runCorpus } from './corpus-support';
import { BENIGN_CALLS } from './benign-calls';

const outcomes = runCorpus(BENIGN_CALLS);
const flagged = outcomes.filter((outcome) => outcome.validation.verdict !== 'allow');

describe('the benign corpus', () => {
  it('holds at least 60 everyday calls', () => {
    expect(BENIGN_CALLS.length).toBeGreaterThanOrEqual(60);
  });

  it('allows all of them and reports the false-positive rate', () => {
    console.log(
      `Benign corpus: ${outcomes.length} calls, false positives (not allowed) ${rate(flagged.length, outcomes.length)}` +
        (flagged.length > 0 ? `\n${flagged.map(describeOutcome).join('\n')}` : ''),
    );
    expect(flagged.map(describeOutcome)).toEqual([]);
  });

  it('still asks before network use when the policy does not allow the network', () => {
    const [withoutNetwork] = runCorpus([{ ...BENIGN_CALLS.find((call) => call.label.includes('localhost'))!, policy: undefined }]);
    expect(withoutNetwork?.validation.verdict).toBe('confirm');
    expect(withoutNetwork?.validation.reasons[0]).toMatch(/does not allow/u);
  });
});
