/**
 * Escapes a value (a file path) for use as a filter option inside a
 * filtergraph: first the option level (`\ ' :`), then the graph level
 * (`\ ' [ ] , ;`). Only our own paths go through here; user text never
 * enters a graph string at all (it goes through `textfile=`).
 */
export function escapeFilterValue(value: string): string {
  const optionLevel = value.replace(/[\\':]/g, (c) => `\\${c}`);
  return optionLevel.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}
