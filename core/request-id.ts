// How the id of the API request that started a run travels with it: in the workflow's memo (shown
// in the Temporal Web UI), then in a header of every activity the run schedules, read by the worker
// into its log lines (workflows/request-id-interceptors.ts, worker/request-id-interceptor.ts).

/** The memo field holding the request id. */
export const REQUEST_ID_MEMO_FIELD = 'requestId';
/** The Temporal header carrying it to activities. */
export const REQUEST_ID_HEADER = 'keel-request-id';
