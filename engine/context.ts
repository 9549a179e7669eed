// What every engine operation shares: the stack's live state, the provider host, step and diagnostic reporting,
// and the scrubbing of secret values out of anything reported.
import type { LogSeverity } from "./monitor";
import { type JsonValue, secretTexts } from "./properties";
import type { ProviderHost } from "./provider-host";
import type { StateStore } from "./state";

export type StepOp = "create" | "update" | "replace" | "delete" | "same";

export interface StepRecord {
  op: StepOp;
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  /** The top-level properties that differ (updates and refreshes) or force the replacement, as Pulumi lists them. */
  keys?: string[];
}

export type EngineEvent =
  | { kind: "step"; step: StepRecord }
  | { kind: "diagnostic"; severity: LogSeverity; message: string; urn?: string }
  | { kind: "output"; source: "program" | "provider"; stream: "stdout" | "stderr"; line: string };

/** Remembers every secret value seen in this run and masks it in text (logs, provider output, error messages). */
export class Redactor {
  private readonly texts = new Set<string>();

  learn(value: JsonValue): void {
    for (const text of secretTexts(value)) if (text.length >= 4) this.texts.add(text);
  }

  scrub(text: string): string {
    let result = text;
    for (const secret of [...this.texts].sort((a, b) => b.length - a.length)) {
      result = result.split(secret).join("[secret]");
    }
    return result;
  }
}

export class RunContext {
  readonly steps: StepRecord[] = [];
  readonly errors: string[] = [];
  readonly diagnostics: Array<{ severity: LogSeverity; message: string; urn?: string }> = [];
  readonly redactor = new Redactor();

  constructor(
    readonly project: string,
    readonly stack: string,
    readonly dryRun: boolean,
    readonly state: StateStore,
    readonly host: () => Promise<ProviderHost>,
    private readonly onEvent: (event: EngineEvent) => void,
  ) {
    for (const resource of state.all()) {
      this.redactor.learn(resource.inputs);
      this.redactor.learn(resource.outputs);
    }
  }

  step(op: StepOp, urn: string, type: string, custom: boolean, keys?: string[]): void {
    const step: StepRecord = { op, urn, type, name: nameOf(urn), custom, ...(keys?.length ? { keys } : {}) };
    this.steps.push(step);
    this.onEvent({ kind: "step", step });
  }

  /** Debug lines (the SDK's own tracing) are dropped, as the Pulumi CLI hides them by default. */
  diagnostic(severity: LogSeverity, message: string, urn?: string): void {
    if (severity === "debug") return;
    const scrubbed = this.redactor.scrub(message);
    this.diagnostics.push({ severity, message: scrubbed, urn: urn || undefined });
    this.onEvent({ kind: "diagnostic", severity, message: scrubbed, urn: urn || undefined });
  }

  output(source: "program" | "provider", stream: "stdout" | "stderr", line: string): void {
    this.onEvent({ kind: "output", source, stream, line: this.redactor.scrub(line) });
  }

  fail(message: string): void {
    this.errors.push(this.redactor.scrub(message));
  }
}

export function nameOf(urn: string): string {
  return urn.split("::").slice(3).join("::");
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
