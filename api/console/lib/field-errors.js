// Maps an API validation error to the form fields it names: `details.field`, `details.fields` or the
// zod `details.issues[].field` (`body.budget.maxCostPerRun`); what names no field goes under `form`.
export function fieldErrors(error, known) {
  const details = error.details || {};
  const named = [];
  if (typeof details.field === 'string') named.push([details.field, error.message]);
  if (Array.isArray(details.fields)) for (const field of details.fields) named.push([field, error.message]);
  if (Array.isArray(details.issues)) for (const issue of details.issues) named.push([issue.field, issue.message]);
  const errors = {};
  for (const [raw, message] of named) {
    const path = String(raw).replace(/^body\./, '');
    const field = known.find((candidate) => path === candidate || path.startsWith(`${candidate}.`));
    const key = field ?? 'form';
    errors[key] = errors[key] ? `${errors[key]}; ${message}` : message;
  }
  if (Object.keys(errors).length === 0) errors.form = error.message;
  return errors;
}
