import type { CodegenConfig } from "@graphql-codegen/cli";

// Typed documents from the checked-in SDL. Codegen validates every document against the schema, so a query that
// no longer matches it fails `npm run build` and `npm run check`.
const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**/*"],
  ignoreNoDocuments: false,
  errorsOnly: false,
  generates: {
    "./src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        avoidOptionals: false,
        scalars: { Decimal: "string", Date: "string", DateTime: "string", JSON: "unknown" },
      },
    },
  },
};
export default config;
