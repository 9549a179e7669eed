// The program-side resource modules and the README's input tables are generated from the resource declarations:
// this fails when what is checked in is stale (run `npm run generate`). No emulator needed.
import * as fs from "node:fs";
import { GENERATED_RESOURCES, renderModule, renderReadme } from "../../scripts/generate-resources";

describe("generated from the declarations", () => {
  test.each(GENERATED_RESOURCES.map((resource) => [resource.module, resource] as const))(
    "%s is up to date",
    (file, resource) => {
      expect(fs.readFileSync(file, "utf8")).toBe(renderModule(resource));
    },
  );

  test("the README's input tables are up to date", () => {
    const readme = fs.readFileSync("README.md", "utf8");
    expect(readme).toBe(renderReadme(readme));
  });

  test.each(GENERATED_RESOURCES.map((resource) => [resource.module] as const))(
    "%s loads nothing but Pulumi, the registration helper and types, so programs stay light",
    (file) => {
      const imports = [...fs.readFileSync(file, "utf8").matchAll(/^import .* from "(.*)";$/gm)].map(
        (m) => m[1],
      );
      expect(imports.filter((source) => source !== "./types")).toEqual(["@pulumi/pulumi", "../resource"]);
    },
  );
});
