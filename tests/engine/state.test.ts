// The state file as StateStore writes it after every step: each entry is serialized once and reused, so these check
// that the text stays a plain pretty-printed document and that no change to an entry is lost to the reuse.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PassphraseSecretsManager } from "../../engine/secrets";
import { type ResourceState, readState, StateStore, stateFilePath } from "../../engine/state";

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";

let dir: string;
let secrets: PassphraseSecretsManager;
let file: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "dbaas-state-"));
  secrets = new PassphraseSecretsManager({
    stackConfigFile: path.join(dir, "Pulumi.dev.yaml"),
    env: { PULUMI_CONFIG_PASSPHRASE: "state-test" },
  });
  file = stateFilePath(dir, "dev");
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function resource(name: string, outputs: ResourceState["outputs"] = {}): ResourceState {
  return {
    urn: `urn:pulumi:dev::p::pulumi-nodejs:dynamic:Resource::${name}`,
    type: "pulumi-nodejs:dynamic:Resource",
    custom: true,
    id: `id-${name}`,
    inputs: { password: { [SIG]: SECRET, value: `secret-${name}` } },
    outputs,
    dependencies: [],
  };
}

/** The file's text, checked to be exactly its own pretty print, and what reading it back gives. */
function written(): { text: string; resources: ResourceState[]; outputs: ResourceState["outputs"] } {
  const text = fs.readFileSync(file, "utf8");
  expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
  return { text, ...readState(file, secrets) };
}

test("every save writes the whole state, with secrets encrypted and changes made in place since the last save", () => {
  const store = new StateStore(file, { version: 1, resources: [], outputs: {} }, true, secrets);
  store.save();
  expect(written().resources).toEqual([]);

  const first = resource("a", { size: 1 });
  store.put(first);
  store.put(resource("b"));
  expect(written().text).not.toContain("secret-a");
  expect(written().resources).toEqual([first, resource("b")]);
  expect(JSON.parse(written().text).secretsProviders).toEqual({
    type: "passphrase",
    state: expect.any(Object),
  });

  store.rename(first.urn, `${first.urn}-renamed`);
  const renamed = written().resources[0]!;
  expect(renamed.urn).toBe(`${resource("a").urn}-renamed`);
  store.setResourceOutputs(renamed.urn, { size: 2 });
  store.setOutputs({ answer: 42 });
  expect(written().resources[0]!.outputs).toEqual({ size: 2 });
  expect(written().outputs).toEqual({ answer: 42 });

  store.put(resource("b", { size: 3 }));
  store.remove(store.find(renamed.urn)!);
  expect(written().resources).toEqual([resource("b", { size: 3 })]);
});
