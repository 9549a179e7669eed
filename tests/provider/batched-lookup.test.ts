// Lookups of one scope made together share one list of the scope; a lookup alone sends its own narrow list.
import { batchedLookup } from "../../provider/impl/batched-lookup";

function lists() {
  const sent: string[] = [];
  const list = (name: string, answer: string[]) => async () => {
    sent.push(name);
    return answer;
  };
  return { sent, list };
}

test("lookups of one scope made together share one list of the scope", async () => {
  const { sent, list } = lists();
  const answers = await Promise.all([
    batchedLookup("scope a", list("a alone 1", ["x"]), list("a scope", ["x", "y", "z"])),
    batchedLookup("scope a", list("a alone 2", ["y"]), list("a scope", ["x", "y", "z"])),
    batchedLookup("scope a", list("a alone 3", ["z"]), list("a scope", ["x", "y", "z"])),
    batchedLookup("scope b", list("b alone", ["w"]), list("b scope", ["v", "w"])),
  ]);
  expect(sent.sort()).toEqual(["a scope", "b alone"]);
  expect(answers).toEqual([["x", "y", "z"], ["x", "y", "z"], ["x", "y", "z"], ["w"]]);
});

test("a lookup asked after a batch was sent gets a list sent after it asked", async () => {
  const { sent, list } = lists();
  await batchedLookup("scope", list("first", ["x"]), list("scope", []));
  await batchedLookup("scope", list("second", ["x"]), list("scope", []));
  expect(sent).toEqual(["first", "second"]);
});

test("a failing list fails every lookup of its batch", async () => {
  const failing = async (): Promise<string[]> => {
    throw new Error("list refused");
  };
  const lookups = [batchedLookup("scope", failing, failing), batchedLookup("scope", failing, failing)];
  await expect(Promise.all(lookups)).rejects.toThrow("list refused");
});
