// Pulumi-like text output of an engine run: one line per step as it happens, then outputs (secrets masked) and counts.
import type { EngineEvent, Phase, StepOp, StepRecord } from "./context";
import { type JsonValue, UNKNOWN_VALUE } from "./properties";
import type { EngineResult } from "./run";

const SYMBOLS: Record<StepOp, string> = {
  create: "+ ",
  update: "~ ",
  replace: "+-",
  delete: "- ",
  same: "  ",
};

const HEADINGS: Record<Phase, string> = {
  preview: "Previewing update",
  update: "Updating",
  refresh: "Refreshing",
  destroy: "Destroying",
};

const COUNT_WORDS: Record<StepOp, [string, string]> = {
  create: ["created", "to create"],
  update: ["updated", "to update"],
  replace: ["replaced", "to replace"],
  delete: ["deleted", "to delete"],
  same: ["unchanged", "unchanged"],
};

export function heading(phase: Phase, stack: string): string {
  return `${HEADINGS[phase]} (${stack}):`;
}

export function formatStep(step: StepRecord): string {
  const keys = step.keys?.length ? ` [${step.keys.join(", ")}]` : "";
  return `    ${SYMBOLS[step.op]} ${step.op.padEnd(7)} ${step.type} ${step.name}${keys}`;
}

/** A line for a streamed event, or undefined for events not shown (debug logs, unchanged resources). */
export function formatEvent(event: EngineEvent, stack: string): string | undefined {
  switch (event.kind) {
    case "phase":
      return `${heading(event.phase, stack)}\n`;
    case "step":
      return event.step.op === "same" ? undefined : formatStep(event.step);
    case "diagnostic":
      return event.severity === "debug" ? undefined : `    ${event.severity}: ${event.message}`;
    case "output":
      return `    [${event.source}] ${event.line}`;
  }
}

function display(value: JsonValue): string {
  return value === UNKNOWN_VALUE ? "[unknown]" : JSON.stringify(value);
}

export function formatSummary(result: EngineResult): string {
  const lines: string[] = [];
  const outputNames = Object.keys(result.outputs);
  if (outputNames.length > 0) {
    lines.push("Outputs:");
    for (const name of outputNames) {
      const secret = result.secretOutputs.includes(name);
      lines.push(`    ${name}: ${secret ? "[secret]" : display(result.outputs[name] ?? null)}`);
    }
    lines.push("");
  }
  const tense = result.command === "preview" ? 1 : 0;
  const parts = (Object.keys(COUNT_WORDS) as StepOp[])
    .filter((op) => result.counts[op] > 0)
    .map((op) => `${result.counts[op]} ${COUNT_WORDS[op][tense]}`);
  lines.push(`Resources: ${parts.length > 0 ? parts.join(", ") : "none"}`);
  lines.push(`Duration: ${(result.durationMs / 1000).toFixed(1)}s`);
  if (result.errors.length > 0) {
    lines.push("", "Errors:");
    for (const error of result.errors) lines.push(`    error: ${error.split("\n").join("\n    ")}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The `--json` document: everything in the result, secret outputs masked. */
export function jsonDocument(result: EngineResult): string {
  const outputs = Object.fromEntries(
    Object.entries(result.outputs).map(([name, value]) => [
      name,
      result.secretOutputs.includes(name) ? "[secret]" : value,
    ]),
  );
  return `${JSON.stringify({ ...result, outputs }, null, 2)}\n`;
}
