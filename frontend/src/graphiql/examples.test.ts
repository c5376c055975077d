import { readFileSync } from "node:fs";
import { buildSchema, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { EXAMPLES } from "./examples";

const schema = buildSchema(readFileSync(new URL("../../../schema.graphql", import.meta.url), "utf8"));

describe("GraphiQL examples", () => {
  for (const ex of EXAMPLES) {
    it(`${ex.title} is valid against schema.graphql`, () => {
      expect(validate(schema, parse(ex.query)).map((e) => e.message)).toEqual([]);
      if (ex.variables) expect(() => JSON.parse(ex.variables!)).not.toThrow();
    });
  }
});
