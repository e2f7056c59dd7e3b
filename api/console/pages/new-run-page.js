// Starts a run: message, instructions, a model or the pool's complexity, tools, a policy preset and a
// budget. The API validates; its errors are shown at the field they name.
import { useState } from 'preact/hooks';
import { post } from '../lib/api.js';
import { fieldErrors } from '../lib/field-errors.js';
import { html } from '../lib/html.js';
import { usePolling } from '../lib/use-polling.js';
import { navigate } from '../lib/router.js';

/** Keel's built-in tools (core/tool-names.ts); none ticked means every tool. */
const TOOLS = ['read_file', 'write_file', 'edit_file', 'bash', 'bash_output', 'bash_kill', 'record_note', 'recall_notes', 'read_tool_output'];
const COMPLEXITIES = ['auto', 'simple', 'medium', 'complex'];
export const POLICY_PRESETS = {
  tenant: { label: "The tenant's policy", policy: undefined },
  'confirm-every-call': { label: 'Confirm every tool call (every write included)', policy: { safety: { riskVerdicts: { none: 'confirm', low: 'confirm' } } } },
  'review-side-effects': { label: 'Review unexpected workspace changes', policy: { sideEffects: 'review' } },
  'rollback-side-effects': { label: 'Roll back unexpected workspace changes', policy: { sideEffects: 'rollback' } },
};
const FIELDS = ['message', 'instructions', 'model', 'models', 'complexity', 'tools', 'policy', 'budget', 'limits', 'agent'];

function Field({ name, label, error, children, hint }) {
  return html`<div class=${error ? 'field has-error' : 'field'} data-field=${name}>
    <label for=${`field-${name}`}>${label}</label>${children}
    ${hint && html`<div class="hint">${hint}</div>`}
    <div class="field-error" id=${`error-${name}`} role=${error ? 'alert' : undefined}>${error ?? ''}</div>
  </div>`;
}

export function NewRunPage() {
  const { data: catalog } = usePolling('/v1/models', 0);
  const [form, setForm] = useState({ message: '', instructions: '', model: '', complexity: '', tools: [], preset: 'tenant', maxCostPerRun: '', maxCostPerCall: '' });
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  const set = (name) => (event) => setForm({ ...form, [name]: event.currentTarget.value });
  const toggleTool = (tool) => setForm({ ...form, tools: form.tools.includes(tool) ? form.tools.filter((name) => name !== tool) : [...form.tools, tool] });
  const pooled = catalog && catalog.selection === 'pool';

  const submit = async (event) => {
    event.preventDefault();
    const body = { message: form.message };
    if (form.instructions.trim()) body.instructions = form.instructions;
    if (form.model.trim()) body.model = form.model.trim();
    if (form.complexity) body.complexity = form.complexity;
    if (form.tools.length) body.tools = form.tools;
    const preset = POLICY_PRESETS[form.preset];
    if (preset && preset.policy) body.policy = preset.policy;
    const budget = {};
    if (form.maxCostPerRun !== '') budget.maxCostPerRun = Number(form.maxCostPerRun);
    if (form.maxCostPerCall !== '') budget.maxCostPerCall = Number(form.maxCostPerCall);
    if (Object.keys(budget).length) body.budget = budget;
    setBusy(true);
    try {
      const run = await post('/v1/runs', body);
      navigate(`/console/runs/${run.id}`);
    } catch (error) {
      const found = fieldErrors(error, FIELDS);
      if (found.models) found.model = found.model ?? found.models;
      setErrors(found);
      const first = document.querySelector('.has-error input, .has-error textarea, .has-error select');
      first?.focus();
    } finally {
      setBusy(false);
    }
  };

  return html`<section aria-labelledby="new-title">
    <header class="page-head"><h1 id="new-title">New run</h1></header>
    <form class="new-run" onSubmit=${submit} noValidate>
      ${errors.form && html`<p class="error" role="alert" id="error-form">${errors.form}</p>`}
      <${Field} name="message" label="Message" error=${errors.message}>
        <textarea id="field-message" name="message" rows="4" value=${form.message} onInput=${set('message')} aria-describedby="error-message"></textarea></${Field}>
      <${Field} name="instructions" label="Instructions (system prompt, optional)" error=${errors.instructions}>
        <textarea id="field-instructions" name="instructions" rows="3" value=${form.instructions} onInput=${set('instructions')}></textarea></${Field}>
      <div class="row">
        <${Field} name="model" label="Model" error=${errors.model} hint=${catalog ? `empty: ${pooled ? 'the pool chooses' : catalog.default}; a family like local/* takes any name` : ''}>
          <input id="field-model" name="model" list="model-ids" autocomplete="off" placeholder=${pooled ? '(the pool chooses)' : '(the default model)'} value=${form.model} onInput=${set('model')} />
          <datalist id="model-ids">${(catalog ? catalog.models.filter((model) => !model.id.endsWith('/*')) : []).map((model) => html`<option value=${model.id}>${model.tier ? model.tier : model.provider}</option>`)}</datalist></${Field}>
        <${Field} name="complexity" label="Or complexity (model pool)" error=${errors.complexity}>
          <select id="field-complexity" name="complexity" value=${form.complexity} onChange=${set('complexity')}>
            <option value="">—</option>${COMPLEXITIES.map((value) => html`<option value=${value}>${value}</option>`)}
          </select></${Field}>
      </div>
      <${Field} name="tools" label="Tools" error=${errors.tools} hint="None ticked: every tool.">
        <fieldset id="field-tools" class="tools">${TOOLS.map((tool) => html`<label class="check"><input type="checkbox" name="tools" value=${tool} checked=${form.tools.includes(tool)} onChange=${() => toggleTool(tool)} /> ${tool}</label>`)}</fieldset></${Field}>
      <${Field} name="policy" label="Policy" error=${errors.policy}>
        <select id="field-policy" name="policy" value=${form.preset} onChange=${set('preset')}>
          ${Object.entries(POLICY_PRESETS).map(([value, preset]) => html`<option value=${value}>${preset.label}</option>`)}
        </select></${Field}>
      <${Field} name="budget" label="Budget (USD, needs priced pool models)" error=${errors.budget}>
        <div class="row" id="field-budget">
          <label class="inline">per run <input type="number" name="maxCostPerRun" min="0" step="0.01" value=${form.maxCostPerRun} onInput=${set('maxCostPerRun')} /></label>
          <label class="inline">per call <input type="number" name="maxCostPerCall" min="0" step="0.001" value=${form.maxCostPerCall} onInput=${set('maxCostPerCall')} /></label>
        </div></${Field}>
      <div class="actions"><button type="submit" class="primary" disabled=${busy}>Start run</button></div>
    </form>
  </section>`;
}
