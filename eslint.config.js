import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/**", "public/build/**", "node_modules/**", ".cache/**", "db/migrations/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
  {
    files: ["app/routes/**", "app/components/**", "app/root.tsx"],
    rules: {
      // Routes reach the database only through the domain, and import only types from .server modules.
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["*.server", "**/*.server"], allowTypeImports: true, message: "Import only types from .server modules: the domain instance arrives through context." },
            { group: ["**/db/*", "~/../db/*"], allowTypeImports: true, message: "Routes reach the database only through the domain (context.domain)." },
          ],
        },
      ],
    },
  },
);
