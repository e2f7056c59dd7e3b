// The user's request as the checks see it: the run's first user message (what the run is for) and
// its latest one (what the user asked last), read from the transcript.
import type { Message } from '../messages';

export type UserRequest = { first: string; latest: string };

/** Undefined when the conversation has no user message yet. */
export function userRequestOf<Item = Message>(items: readonly Item[], messageOf: (item: Item) => Message = (item) => item as unknown as Message): UserRequest | undefined {
  // Scans from both ends: a step reads this on every tool call, and transcripts grow long.
  const userText = (index: number) => {
    const message = messageOf(items[index] as Item);
    return message.type === 'user' ? message.text : undefined;
  };
  let first: string | undefined;
  for (let index = 0; index < items.length && first === undefined; index += 1) first = userText(index);
  if (first === undefined) return undefined;
  let latest: string | undefined;
  for (let index = items.length - 1; index >= 0 && latest === undefined; index -= 1) latest = userText(index);
  return { first, latest: latest ?? first };
}

/** Both messages as one text (the latest only when it differs), for prompts and intent reading. */
export function requestText(request: UserRequest): string {
  return request.latest === request.first ? request.first : `${request.first}\n\n${request.latest}`;
}
