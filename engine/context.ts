// What every engine operation shares: the stack's live state, the provider host, step and diagnostic reporting,
// and the masking of secret config values in anything reported.
import type { LogSeverity } from "./monitor";
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

/** The parts of a run, as the Pulumi CLI prints them: `up` previews, then updates; `--refresh` refreshes first. */
export type Phase = "preview" | "refresh" | "update" | "destroy";

export type EngineEvent =
  | { kind: "phase"; phase: Phase }
  | { kind: "step"; step: StepRecord }
  | { kind: "diagnostic"; severity: LogSeverity; message: string; urn?: string }
  | { kind: "output"; source: "program" | "provider"; stream: "stdout" | "stderr"; line: string };

/**
 * Masks the decrypted values of `secure:` stack config in printed text, and nothing else: the real CLI filters only
 * those (pkg/engine/events.go `makeEventEmitter`: `logging.AddGlobalSecretFilter` of each decrypted secure
 * value), so a provider that prints a password or a URL it was given shows it in real CI, and must not print it.
 */
export class Redactor {
  private readonly texts: string[];

  constructor(secretConfigValues: string[]) {
    this.texts = secretConfigValues.filter((text) => text.length > 0).sort((a, b) => b.length - a.length);
  }

  scrub(text: string): string {
    let result = text;
    for (const secret of this.texts) result = result.split(secret).join("[secret]");
    return result;
  }
}

/** What every phase of one run reports into: errors, diagnostics and the event stream. */
export class RunReport {
  readonly errors: string[] = [];
  readonly diagnostics: Array<{ severity: LogSeverity; message: string; urn?: string }> = [];

  constructor(
    readonly redactor: Redactor,
    readonly emit: (event: EngineEvent) => void,
  ) {}
}

/** One phase of a run: its state (saved, or an in-memory copy for previews), its provider host and its steps. */
export class RunContext {
  readonly steps: StepRecord[] = [];

  constructor(
    readonly project: string,
    readonly stack: string,
    readonly dryRun: boolean,
    readonly state: StateStore,
    readonly host: () => Promise<ProviderHost>,
    private readonly report: RunReport,
  ) {}

  get errors(): string[] {
    return this.report.errors;
  }

  get diagnostics(): Array<{ severity: LogSeverity; message: string; urn?: string }> {
    return this.report.diagnostics;
  }

  get redactor(): Redactor {
    return this.report.redactor;
  }

  step(op: StepOp, urn: string, type: string, custom: boolean, keys?: string[]): void {
    const step: StepRecord = { op, urn, type, name: nameOf(urn), custom, ...(keys?.length ? { keys } : {}) };
    this.steps.push(step);
    this.report.emit({ kind: "step", step });
  }

  /** Debug lines (the SDK's own tracing) are dropped, as the Pulumi CLI hides them by default. */
  diagnostic(severity: LogSeverity, message: string, urn?: string): void {
    if (severity === "debug") return;
    const scrubbed = this.redactor.scrub(message);
    this.report.diagnostics.push({ severity, message: scrubbed, urn: urn || undefined });
    this.report.emit({ kind: "diagnostic", severity, message: scrubbed, urn: urn || undefined });
  }

  output(source: "program" | "provider", stream: "stdout" | "stderr", line: string): void {
    this.report.emit({ kind: "output", source, stream, line: this.redactor.scrub(line) });
  }

  fail(message: string): void {
    this.report.errors.push(this.redactor.scrub(message));
  }
}

export function nameOf(urn: string): string {
  return urn.split("::").slice(3).join("::");
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
