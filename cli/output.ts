// Text output of the `instance` and `backup` commands: aligned tables, key/value blocks, elapsed times and dates.

/** `42 s`, `3m05s`, `1h02m`. */
export function formatElapsed(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

/** An API date as `2030-01-31 12:00:00Z`, or a dash. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return "-";
  const time = Date.parse(value);
  return Number.isNaN(time)
    ? value
    : new Date(time)
        .toISOString()
        .replace("T", " ")
        .replace(/\.\d+Z$/, "Z");
}

/** Columns padded to their widest cell; an empty list says so instead of printing a lone header. */
export function formatTable(headers: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return empty;
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column])))
      .join("  ");
  return [line(headers), ...rows.map(line)].join("\n");
}

/** `key   value` lines, keys padded to the longest. */
export function formatFields(fields: Array<[string, string]>): string {
  const width = Math.max(...fields.map(([key]) => key.length));
  return fields.map(([key, value]) => `${key.padEnd(width)}  ${value}`).join("\n");
}

/** How the commands print a Scaleway id, ready to be pasted back into another command. */
export function regionalId(resource: { region: string; id: string }): string {
  return `${resource.region}/${resource.id}`;
}
