// Folds a run's persisted events and live token deltas into what the run page draws: a flat list of
// items in arrival order (messages, model attempts, tool cards, reviews, context cuts, cache hits,
// the end).
// Plain JSON, so a page reload restores it from session storage and resumes after `lastEventId`.

export const TERMINAL_TYPES = ['run.completed', 'run.failed', 'run.cancelled', 'run.step-limit-reached', 'run.budget-exceeded'];

export function emptyTimeline() {
  return { lastEventId: 0, items: [], attempts: {}, tools: {}, reviews: {}, ended: null, usage: null, costUsd: 0 };
}

const attemptKey = (step, model) => `${step}:${model}`;

function openAttempt(timeline, step, model, attempt) {
  const previous = timeline.items.filter((item) => item.kind === 'attempt' && item.step === step).at(-1);
  const fallbackFrom = previous && previous.model !== model && (previous.status === 'failed' || previous.status === 'reset') ? previous.model : null;
  const item = { kind: 'attempt', step, model, attempt, status: 'streaming', text: '', reasoning: '', toolArguments: {}, fallbackFrom };
  timeline.attempts[attemptKey(step, model)] = timeline.items.length;
  timeline.items.push(item);
  return item;
}

function attemptOf(timeline, step, model) {
  const index = timeline.attempts[attemptKey(step, model)];
  return index === undefined ? undefined : timeline.items[index];
}

function toolCard(timeline, data) {
  const index = timeline.tools[data.callId];
  if (index !== undefined) return timeline.items[index];
  const card = { kind: 'tool', step: data.step, callId: data.callId, toolName: data.toolName, arguments: data.arguments || {}, status: 'running' };
  timeline.tools[data.callId] = timeline.items.length;
  timeline.items.push(card);
  return card;
}

/** Applies one delta (the SSE `delta` payload): text, reasoning or a tool call's arguments, to the open attempt. */
export function applyDelta(timeline, delta) {
  let attempt = attemptOf(timeline, delta.step, delta.model);
  if (!attempt || attempt.status !== 'streaming') attempt = openAttempt(timeline, delta.step, delta.model, null);
  if (delta.kind === 'text') attempt.text += delta.text;
  else if (delta.kind === 'reasoning') attempt.reasoning += delta.text;
  else if (delta.callId) attempt.toolArguments[delta.callId] = (attempt.toolArguments[delta.callId] || '') + delta.text;
}

/** Applies one persisted event; events at or below `lastEventId` were applied already. */
export function applyEvent(timeline, event) {
  if (event.id <= timeline.lastEventId) return false;
  timeline.lastEventId = event.id;
  const data = event.data || {};
  switch (event.type) {
    case 'run.started':
      timeline.items.push({ kind: 'start', models: data.models, tools: data.tools, complexity: data.complexity ?? null, at: event.at });
      break;
    case 'run.forked':
      timeline.items.push({ kind: 'fork', parentRunId: data.parentRunId, fromStep: data.fromStep, workspaceFrom: data.workspaceFrom ?? null, restoredEntries: data.restoredEntries ?? 0 });
      break;
    case 'message.received':
      timeline.items.push({ kind: 'message', step: data.step, role: data.role, text: data.text });
      break;
    case 'model.selected':
      timeline.items.push({ kind: 'selection', step: data.step, decision: data.decision ?? '', complexity: data.complexity ?? null, candidates: data.candidates ?? [], skipped: data.skipped ?? [] });
      break;
    case 'model-call.started': {
      const open = attemptOf(timeline, data.step, data.model);
      // Deltas can overtake the started event: the attempt they opened is this one.
      if (open && open.status === 'streaming' && open.attempt === null) open.attempt = data.attempt;
      else openAttempt(timeline, data.step, data.model, data.attempt);
      break;
    }
    case 'model-call.finished': {
      const attempt = attemptOf(timeline, data.step, data.model) || openAttempt(timeline, data.step, data.model, data.attempt);
      Object.assign(attempt, { status: 'finished', usage: data.usage, costUsd: data.costUsd, latencyMs: data.latencyMs, finishReason: data.finishReason });
      timeline.costUsd += data.costUsd || 0;
      break;
    }
    case 'model-call.failed': {
      const attempt = attemptOf(timeline, data.step, data.model);
      if (attempt && attempt.status === 'streaming' && data.called !== false) Object.assign(attempt, { status: 'failed', error: data.error, failureType: data.failureType ?? null });
      else timeline.items.push({ kind: 'call-failed', step: data.step, model: data.model, error: data.error, failureType: data.failureType ?? null, called: data.called !== false });
      break;
    }
    case 'stream.reset': {
      const attempt = attemptOf(timeline, data.step, data.model) || openAttempt(timeline, data.step, data.model, null);
      Object.assign(attempt, { status: 'reset', error: data.error, failureType: data.failureType ?? null, discardedDeltas: data.deltas });
      break;
    }
    case 'tool-call.started':
      Object.assign(toolCard(timeline, data), { arguments: data.arguments, status: 'running' });
      break;
    case 'tool-call.finished':
      Object.assign(toolCard(timeline, data), {
        status: data.isError ? 'error' : 'done', isError: data.isError, outputPreview: data.outputPreview, outputChars: data.outputChars,
        durationMs: data.durationMs, safety: data.safety ?? null, review: data.review ?? null, prediction: data.prediction ?? null, compressed: data.compressed ?? null,
      });
      break;
    case 'tool-call.prediction-mismatch':
      Object.assign(toolCard(timeline, data), { status: 'refused', mismatch: { reason: data.reason ?? '', prediction: data.prediction ?? '', conflicts: data.conflicts } });
      break;
    case 'side-effects.detected':
      toolCard(timeline, data).sideEffects = { action: data.action, created: data.created, modified: data.modified, deleted: data.deleted, counts: data.counts, truncated: data.listsTruncated };
      break;
    case 'side-effects.rolled-back': {
      const rollback = { restored: data.restored, removed: data.removed, failed: data.failed };
      if (data.callId && timeline.tools[data.callId] !== undefined) timeline.items[timeline.tools[data.callId]].rollback = rollback;
      else timeline.items.push({ kind: 'rollback', step: data.step, toolName: data.toolName, ...rollback });
      break;
    }
    case 'review.requested':
      timeline.reviews[data.reviewId] = timeline.items.length;
      timeline.items.push({ kind: 'review', reviewId: data.reviewId, reviewKind: data.kind, step: data.step, summary: data.summary, context: data.context, expiresAt: data.expiresAt, status: 'pending' });
      break;
    case 'review.decided':
    case 'review.expired': {
      const index = timeline.reviews[data.reviewId];
      const decided = { status: event.type === 'review.expired' ? 'expired' : data.status, action: data.action, decidedBy: data.decidedBy ?? 'the escalation policy', reason: data.reason ?? null };
      if (index !== undefined) Object.assign(timeline.items[index], decided);
      break;
    }
    case 'context.truncated':
      timeline.items.push({ kind: 'context-cut', step: data.step, model: data.model, droppedMessages: data.droppedMessages, droppedTokens: data.droppedTokens, keptMessages: data.keptMessages, summary: data.summary, summaryModel: data.summaryModel ?? null });
      break;
    case 'answer.final':
      timeline.items.push({ kind: 'answer', step: data.step, model: data.model, text: data.text });
      break;
    case 'answer.reflected':
      timeline.items.push({ kind: 'check', step: data.step, title: `Self-reflection: ${data.confidence}% confident`, doubtful: data.belowThreshold, detail: data.contradiction || data.reasoning });
      break;
    case 'answer.cross-validated':
      timeline.items.push({ kind: 'check', step: data.step, title: `Cross-validation: ${data.agreed ? 'models agree' : 'models disagree'}`, doubtful: !data.agreed, detail: (data.answers || []).map((answer) => `${answer.model}: ${answer.answer ?? answer.error ?? ''}`).join('\n') });
      break;
    case 'cache.hit': {
      // No model was called: the reply is an earlier run's, named so a reader can open it.
      const how = data.kind === 'similar_query' ? `a similar request (similarity ${Number(data.similarity ?? 0).toFixed(2)})` : 'an identical request';
      timeline.items.push({ kind: 'check', step: data.step, title: `Answered from the cache: ${how}`, doubtful: false, detail: `reused from run ${data.sourceRunId}${data.sourceStep === undefined ? '' : `, step ${data.sourceStep}`}` });
      break;
    }
    default:
      if (TERMINAL_TYPES.includes(event.type)) {
        timeline.ended = { ...data, event: event.type };
        timeline.usage = data.usage ?? timeline.usage;
        timeline.items.push({ kind: 'end', type: event.type, data });
      }
  }
  return true;
}

/** Fills finished attempts' text from the transcript: deltas are never stored, so a replay has none. */
export function fillFromTranscript(timeline, messages) {
  const byStep = new Map();
  for (const entry of messages) if (entry.message && entry.message.type === 'assistant') byStep.set(entry.step, entry.message);
  for (const item of timeline.items) {
    if (item.kind !== 'attempt' || item.status !== 'finished') continue;
    const message = byStep.get(item.step);
    if (!message || (message.model && message.model !== item.model)) continue;
    const text = message.parts.filter((part) => part.type === 'text').map((part) => part.text).join('');
    const reasoning = message.parts.filter((part) => part.type === 'reasoning').map((part) => part.text).join('');
    if (text.length >= item.text.length) item.text = text;
    if (reasoning.length >= item.reasoning.length) item.reasoning = reasoning;
  }
}
