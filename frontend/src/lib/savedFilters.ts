// Saved filters in the picker: the built-in ones first (in the server's order), then the others by name.
export function orderSavedFilters<T extends { isBuiltin: boolean; name: string }>(list: readonly T[]): T[] {
  const builtin = list.filter((f) => f.isBuiltin);
  const rest = list.filter((f) => !f.isBuiltin).sort((a, b) => a.name.localeCompare(b.name));
  return [...builtin, ...rest];
}
