// The pure parts of skills, HTTP tools and structured output: SKILL.md parsing, URL templates and
// host allow-lists, answer checks, and how an Anthropic answer tool call becomes the answer.
import { expandUrl, hostAllowed, httpToolSchema } from '../../../core/http-tools';
import { checkOutput } from '../../../core/run-output';
import { parseSkillMarkdown, SkillInvalid, skillsPromptSection } from '../../../core/skills';
import { answerFromOutputTool } from '../../../providers/structured-output';
import type { ModelResponse } from '../../../providers/types';

describe('SKILL.md', () => {
  it('takes the description from the front matter and the body after it', () => {
    expect(parseSkillMarkdown('---\nname: deploy\ndescription: Ship it\n---\n\nStep 1.\n', 'deploy')).toEqual({ name: 'deploy', description: 'Ship it', body: 'Step 1.' });
  });

  it('refuses a document without front matter, or one naming another skill', () => {
    expect(() => parseSkillMarkdown('Step 1.', 'deploy')).toThrow(SkillInvalid);
    expect(() => parseSkillMarkdown('---\nname: other\ndescription: x\n---\n', 'deploy')).toThrow(/names the skill "other"/);
  });

  it('lists names and descriptions, never bodies, in the prompt section', () => {
    expect(skillsPromptSection([{ name: 'deploy', description: 'Ship\nit' }])).toContain('- deploy: Ship it');
    expect(skillsPromptSection([])).toBe('');
  });
});

describe('HTTP tool URLs', () => {
  it('encodes arguments into the template and leaves the others for the query or body', () => {
    expect(expandUrl('https://api.test/users/{id}/posts', { id: 'a/b c', limit: 3 })).toEqual({ url: 'https://api.test/users/a%2Fb%20c/posts', rest: { limit: 3 } });
  });

  it('matches hosts with or without a port', () => {
    expect(hostAllowed(new URL('http://127.0.0.1:8080/x'), ['127.0.0.1'])).toBe(true);
    expect(hostAllowed(new URL('http://127.0.0.1:8080/x'), ['127.0.0.1:9090'])).toBe(false);
    expect(hostAllowed(new URL('https://api.test.evil.com/'), ['api.test'])).toBe(false);
  });

  it('wants the template host on the allow-list unless an argument fills it', () => {
    const tool = { name: 'get', description: 'd', url: 'https://api.test/{id}', parameters: { type: 'object', properties: { id: { type: 'string' } } } };
    expect(httpToolSchema.safeParse({ ...tool, allowedHosts: ['other.test'] }).success).toBe(false);
    expect(httpToolSchema.safeParse({ ...tool, allowedHosts: ['api.test'] }).success).toBe(true);
    expect(httpToolSchema.safeParse({ ...tool, url: 'https://{id}/x', allowedHosts: ['other.test'] }).success).toBe(true);
  });
});

describe('structured output', () => {
  const schema = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] };

  it('accepts matching JSON (fenced or not) and names what is wrong otherwise', () => {
    expect(checkOutput({ schema }, '```json\n{"n": 1}\n```')).toEqual({ valid: true, value: { n: 1 } });
    expect(checkOutput({ schema }, '{"n": "one"}')).toEqual({ valid: false, errors: ['n: must be integer'] });
    expect(checkOutput({ schema }, 'one')).toMatchObject({ valid: false, errors: [expect.stringMatching(/not JSON/)] });
  });

  const response = (parts: ModelResponse['message']['parts']): ModelResponse => ({ message: { type: 'assistant', parts }, usage: { inputTokens: 1, outputTokens: 1 }, finishReason: 'tool-calls' });

  it('turns a lone final_answer call into the answer text, unwrapping a non-object schema', () => {
    const call = { type: 'tool-call' as const, callId: 'c1', toolName: 'final_answer', arguments: { n: 2 } };
    expect(answerFromOutputTool(response([call]), { schema })).toMatchObject({ finishReason: 'stop', message: { parts: [{ type: 'text', text: '{"n":2}' }] } });
    const wrapped = { ...call, arguments: { value: [1, 2] } };
    expect(answerFromOutputTool(response([wrapped]), { schema: { type: 'array' } }).message.parts).toEqual([{ type: 'text', text: '[1,2]' }]);
  });

  it('drops a final_answer call made beside other tool calls', () => {
    const other = { type: 'tool-call' as const, callId: 'c0', toolName: 'read_file', arguments: { path: 'a' } };
    const answer = { type: 'tool-call' as const, callId: 'c1', toolName: 'final_answer', arguments: { n: 2 } };
    expect(answerFromOutputTool(response([other, answer]), { schema }).message.parts).toEqual([other]);
  });
});
