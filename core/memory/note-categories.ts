// Initial importance of a new note by category: what a user says they prefer outlives what a task
// needed for an afternoon. A call may override it.

export const NOTE_CATEGORY_IMPORTANCE: Readonly<Record<string, number>> = {
  user_preference: 0.9,
  project_info: 0.8,
  temp_info: 0.3,
};

export const DEFAULT_NOTE_IMPORTANCE = 0.5;
export const DEFAULT_NOTE_CATEGORY = 'general';

export function initialImportance(category: string, override?: number): number {
  if (override !== undefined) return clampUnit(override);
  return NOTE_CATEGORY_IMPORTANCE[category] ?? DEFAULT_NOTE_IMPORTANCE;
}

export function clampUnit(value: number): number {
  return Math.min(1, Math.max(0, value));
}
