// Workflow interceptors (in every workflow bundle): a run started by an API request carries that
// request's id (its memo, core/request-id.ts) in a header of each activity it schedules, so the
// worker's log lines for them name the request. Headers are not part of a command's identity:
// histories replay the same with or without them. Continue-as-new keeps the memo.
import { defaultPayloadConverter, workflowInfo, type Headers, type WorkflowInterceptors } from '@temporalio/workflow';
import { REQUEST_ID_HEADER, REQUEST_ID_MEMO_FIELD } from '../core/request-id';

export const interceptors = (): WorkflowInterceptors => {
  // The memo is decoded after interceptors are built: read it when the first command goes out.
  const withRequestId = (headers: Headers): Headers => {
    const requestId = workflowInfo().memo?.[REQUEST_ID_MEMO_FIELD];
    return typeof requestId === 'string' ? { ...headers, [REQUEST_ID_HEADER]: defaultPayloadConverter.toPayload(requestId) } : headers;
  };
  return {
    outbound: [{
      scheduleActivity: (input, next) => next({ ...input, headers: withRequestId(input.headers) }),
      scheduleLocalActivity: (input, next) => next({ ...input, headers: withRequestId(input.headers) }),
      continueAsNew: (input, next) => next({ ...input, options: { memo: workflowInfo().memo, ...input.options } }),
    }],
  };
};
