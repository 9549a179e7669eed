// The pure parts of the instance and backup commands: durations, dates, tables, elapsed times and wait progress.
import { parseDate, parseDuration, progressReporter } from "../../cli/command";
import { UsageError } from "../../cli/command-line";
import { formatElapsed, formatTable } from "../../cli/output";

test("durations combine units; anything else is a usage error", () => {
  expect(parseDuration("90s", "--timeout")).toBe(90_000);
  expect(parseDuration("1h30m", "--timeout")).toBe(5_400_000);
  expect(parseDuration("7d", "--expires-in")).toBe(7 * 86_400_000);
  for (const bad of ["", "10", "1w", "5 m", "-1s"]) {
    expect(() => parseDuration(bad, "--timeout")).toThrow(UsageError);
  }
});

test("dates must be RFC 3339 and come back normalized", () => {
  expect(parseDate("2030-01-31T12:00:00+01:00", "--start")).toBe("2030-01-31T11:00:00.000Z");
  expect(() => parseDate("tomorrow", "--start")).toThrow("--start takes an RFC 3339 date");
});

test("tables pad every column but the last; an empty one says so", () => {
  expect(
    formatTable(
      ["ID", "NAME"],
      [
        ["a", "first"],
        ["long-id", "x"],
      ],
      "none",
    ),
  ).toBe("ID       NAME\na        first\nlong-id  x");
  expect(formatTable(["ID"], [], "no backups")).toBe("no backups");
});

test("elapsed times read as seconds, minutes or hours", () => {
  expect([
    formatElapsed(400),
    formatElapsed(59_000),
    formatElapsed(185_000),
    formatElapsed(3_725_000),
  ]).toEqual(["0 s", "59 s", "3m05s", "1h02m"]);
});

test("wait progress shows each status change, and a still-waiting line every 30 s of the same status", () => {
  const lines: string[] = [];
  const report = progressReporter((line) => lines.push(line));
  const poll = (status: string, changed: boolean, elapsedMs: number) =>
    report({ resource: "instance i-1", status, previousStatus: undefined, changed, elapsedMs, polls: 1 });
  poll("restarting", true, 0);
  poll("restarting", false, 10_000);
  poll("restarting", false, 31_000);
  poll("restarting", false, 40_000);
  poll("ready", true, 45_000);
  expect(lines).toEqual([
    "instance i-1: restarting (0 s)",
    "instance i-1: still restarting (31 s)",
    "instance i-1: ready (45 s)",
  ]);
});
