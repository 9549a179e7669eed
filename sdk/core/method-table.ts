// How a client's methods are built from a table of calls: one prototype method per entry, typed from the entry and
// documented by its JSDoc (editors show the JSDoc of a table entry on the method of the same name).
import type { CallOptions } from "./transport";

/** A method whose request may be left out when every field of it is optional. */
export type RequestMethod<Request, Answer> =
  Partial<Request> extends Request
    ? (request?: Request, options?: CallOptions) => Promise<Answer>
    : (request: Request, options?: CallOptions) => Promise<Answer>;

/** Adds to `prototype` the method `methodOf` makes of each entry, as a class declaration would: not enumerable. */
export function addMethods<Entry, This>(
  prototype: This,
  table: Readonly<Record<string, Entry>>,
  methodOf: (entry: Entry) => (this: This, ...args: never[]) => unknown,
): void {
  for (const [name, entry] of Object.entries(table)) {
    Object.defineProperty(prototype, name, { value: methodOf(entry), writable: true, configurable: true });
  }
}
