// The prebuilt ESM build has the same API as the package's main entry.
declare module "mermaid/dist/mermaid.esm.min.mjs" {
  export { default } from "mermaid";
}
