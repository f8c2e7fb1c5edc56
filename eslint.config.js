import js from "@eslint/js";
import tseslint from "typescript-eslint";
import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";

// Layers point down (ARCHITECTURE.md, "Layers"). Each entry: what a folder may not import, and why.
const FRAMEWORK_FREE = {
  group: ["next", "next/*", "react", "react-dom", "@prisma/*", "*/db/*", "next-auth", "next-auth/*"],
  message: "lib/k8s is framework-free.",
};
const ENGINE_ENTRY_POINTS = {
  regex: "(^@/lib/|^(\\.\\./)+(lib/)?|^\\./)k8s/(?!(shell|shell/parse|kubectl|node|pki|test-helpers)$)",
  message:
    "Outside lib/k8s, import the engine from its entry points: lib/k8s, lib/k8s/shell, lib/k8s/kubectl, lib/k8s/node, lib/k8s/pki (tests: lib/k8s/test-helpers; the browser's terminal: lib/k8s/shell/parse).",
};
const restrict = (...patterns) => ({ "no-restricted-imports": ["error", { patterns }] });

export default tseslint.config(
  {
    ignores: [
      ".next/**",
      ".cache/**",
      "node_modules/**",
      "lib/db/generated/**",
      "data/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "@next/next": nextPlugin, "react-hooks": reactHooks },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/ban-ts-comment": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
  { files: ["lib/k8s/**/*.ts"], rules: restrict(FRAMEWORK_FREE) },
  {
    // The browser's terminal imports the shell parser directly: it must stay import-free, or engine code ships.
    files: ["lib/k8s/shell/parse.ts"],
    rules: restrict({ regex: ".", message: "lib/k8s/shell/parse.ts ships to the browser and imports nothing." }),
  },
  {
    // Cluster state and authentication sit below the API server; creating a cluster (lib/k8s/setup) sits above it.
    files: ["lib/k8s/cluster/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: restrict(FRAMEWORK_FREE, {
      group: ["../api", "../api/*", "../setup/*", "../kubectl", "../kubectl/*", "../shell", "../shell/*"],
      message: "lib/k8s/cluster sits below api/, setup/, kubectl/ and shell/.",
    }),
  },
  {
    // The engine's root modules and its Go formatting are the bottom layer.
    files: ["lib/k8s/go/**/*.ts", "lib/k8s/json.ts", "lib/k8s/clock.ts", "lib/k8s/types.ts"],
    rules: restrict(FRAMEWORK_FREE, {
      regex: "^\\.\\./(?!json$|types$)|^\\./(api|authn|authz|cluster|kubectl|pki|protobuf|setup|shell)(/|$)",
      message: "lib/k8s/go and the engine's root modules import nothing above them.",
    }),
  },
  {
    files: ["**/*.ts", "**/*.tsx"],
    // scripts/bench/authn.ts measures the authenticators themselves; scripts/gen-openapi-schemas.ts
    // generates a file inside the engine from its resource table.
    ignores: [
      "lib/k8s/**",
      "scripts/bench/authn.ts",
      "scripts/gen-openapi-schemas.ts",
      "lib/quiz/**",
      "lib/practice/**",
      "lib/practice-api/**",
    ],
    rules: restrict(ENGINE_ENTRY_POINTS),
  },
  {
    // Progress is built on quiz (answers, grading); quiz never calls progress.
    files: ["lib/quiz/**/*.ts"],
    rules: restrict(ENGINE_ENTRY_POINTS, {
      regex: "(^@/lib/|^\\.\\./)progress(/|$)",
      message: "lib/quiz sits below lib/progress: let the route or lib/progress call progress.",
    }),
  },
  {
    // Scenarios use the practice API server and its identity; those never reach up into scenarios.
    files: ["lib/practice/**/*.ts", "lib/practice-api/**/*.ts"],
    rules: restrict(ENGINE_ENTRY_POINTS, {
      regex: "(^@/lib/|^\\.\\./)scenarios(/|$)",
      message: "lib/practice and lib/practice-api sit below lib/scenarios.",
    }),
  },
  {
    files: ["e2e/**/*.spec.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@playwright/test",
              importNames: ["test", "expect"],
              message: "Import test and expect from ./fixtures: it checks every page with axe-core and the browser console.",
            },
          ],
        },
      ],
    },
  },
);
