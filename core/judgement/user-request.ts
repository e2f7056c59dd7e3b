// The user's request as the checks see it: the run's first user message (what the run is for) and
// its latest one (what the user asked last), read from the transcript.
import type { Message } from '../messages';

export type UserRequest = { first: string; latest: string };

/** Undefined when the conversation has no user message yet. */
export function userRequestOf(messages: readonly Message[]): UserRequest | undefined {
  const texts = messages.filter((message) => message.type === 'user').map((message) => message.text);
  const first = texts[0];
  if (first === undefined) return undefined;
  return { first, latest: texts.at(-1) ?? first };
}

/** Both messages as one text (the latest only when it differs), for prompts and intent reading. */
export function requestText(request: UserRequest): string {
  return request.latest === request.first ? request.first : `${request.first}\n\n${request.latest}`;
}
