// The SQL behind the emulator's rows control on the real plane: a table created from the rows' shapes, rows written
// and read back as JSON objects, as the simulated plane keeps them.
import type { Row } from "../data-plane";
import { quoteIdentifier, quoteLiteral } from "./server";

function columnType(value: Row[string]): string {
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return Number.isInteger(value) ? "bigint" : "double precision";
  return "text";
}

/** A dollar-quoted literal whose tag cannot occur in the text. */
function dollarQuoted(text: string): string {
  let tag = "rows";
  while (text.includes(`$${tag}$`)) tag += "_";
  return `$${tag}$${text}$${tag}$`;
}

export function insertRowsSql(table: string, rows: Row[]): string {
  // Each column takes the type of its first non-null value (text when it has none).
  const columns = new Map<string, string>();
  const typed = new Set<string>();
  for (const row of rows) {
    for (const [name, value] of Object.entries(row)) {
      if (!columns.has(name)) columns.set(name, "text");
      if (value !== null && !typed.has(name)) {
        columns.set(name, columnType(value));
        typed.add(name);
      }
    }
  }
  const target = quoteIdentifier(table);
  const definitions = [...columns].map(([name, type]) => `${quoteIdentifier(name)} ${type}`).join(", ");
  const names = [...columns.keys()].map(quoteIdentifier).join(", ");
  return [
    `CREATE TABLE IF NOT EXISTS ${target} (${definitions});`,
    `INSERT INTO ${target} (${names}) SELECT ${names} FROM json_populate_recordset(NULL::${target}, ${dollarQuoted(JSON.stringify(rows))});`,
  ].join("\n");
}

/** Answers `t` when the table exists (the simulated plane reads a missing table as empty). */
export function tableExistsSql(table: string): string {
  return `SELECT to_regclass(${quoteLiteral(quoteIdentifier(table))}) IS NOT NULL;`;
}

export function readRowsSql(table: string): string {
  return `SELECT coalesce(json_agg(t), '[]'::json) FROM ${quoteIdentifier(table)} t;`;
}
