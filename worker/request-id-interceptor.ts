// The activity side of the request id's journey (workflows/request-id-interceptors.ts): an activity
// scheduled with the `keel-request-id` header runs with that id in every log line it writes
// (runtime/log-context.ts) and on its span.
import { trace } from '@opentelemetry/api';
import { defaultPayloadConverter } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { REQUEST_ID_HEADER } from '../core/request-id';
import { withLogContext } from '../runtime/log-context';
import { SPAN_ATTRIBUTES } from '../runtime/tracing';

export const requestIdInterceptor: ActivityInterceptorsFactory = () => ({
  inbound: {
    execute(input, next) {
      const payload = input.headers[REQUEST_ID_HEADER];
      const requestId: unknown = payload ? defaultPayloadConverter.fromPayload(payload) : undefined;
      if (typeof requestId !== 'string') return next(input);
      trace.getActiveSpan()?.setAttribute(SPAN_ATTRIBUTES.requestId, requestId);
      return withLogContext({ requestId }, () => next(input));
    },
  },
});
