// ESLint's settings for the suite's JavaScript (addons/*/static/src): Odoo 18's ES modules,
// run by `make lint` through pre-commit (.pre-commit-config.yaml pins ESLint).
//
// The config imports no package: pre-commit installs ESLint in an environment of its own, from
// which a config at the root cannot import. The rules are ESLint's "recommended" set, listed.
const recommended = [
    "constructor-super", "for-direction", "getter-return", "no-async-promise-executor",
    "no-case-declarations", "no-class-assign", "no-compare-neg-zero", "no-cond-assign",
    "no-const-assign", "no-constant-binary-expression", "no-constant-condition", "no-control-regex",
    "no-debugger", "no-delete-var", "no-dupe-args", "no-dupe-class-members", "no-dupe-else-if",
    "no-dupe-keys", "no-duplicate-case", "no-empty", "no-empty-character-class", "no-empty-pattern",
    "no-empty-static-block", "no-ex-assign", "no-extra-boolean-cast", "no-fallthrough",
    "no-func-assign", "no-global-assign", "no-import-assign", "no-invalid-regexp",
    "no-irregular-whitespace", "no-loss-of-precision", "no-misleading-character-class",
    "no-new-native-nonconstructor", "no-nonoctal-decimal-escape", "no-obj-calls", "no-octal",
    "no-prototype-builtins", "no-redeclare", "no-regex-spaces", "no-self-assign", "no-setter-return",
    "no-shadow-restricted-names", "no-sparse-arrays", "no-this-before-super", "no-undef",
    "no-unexpected-multiline", "no-unreachable", "no-unsafe-finally", "no-unsafe-negation",
    "no-unsafe-optional-chaining", "no-unused-labels", "no-unused-private-class-members",
    "no-unused-vars", "no-useless-backreference", "no-useless-catch", "no-useless-escape", "no-with",
    "require-yield", "use-isnan", "valid-typeof",
];

// What the browser and Odoo's web client give the modules without an import.
const globals = Object.fromEntries(
    [
        "odoo", "owl", "window", "document", "console", "navigator", "location", "history",
        "setTimeout", "clearTimeout", "setInterval", "clearInterval", "requestAnimationFrame",
        "fetch", "URL", "URLSearchParams", "FormData", "Event", "CustomEvent", "HTMLElement",
        "Element", "Node", "KeyboardEvent", "MouseEvent", "Promise",
    ].map((name) => [name, "readonly"]),
);

export default [
    {
        files: ["addons/*/static/src/**/*.js"],
        languageOptions: { ecmaVersion: 2024, sourceType: "module", globals },
        rules: {
            ...Object.fromEntries(recommended.map((rule) => [rule, "error"])),
            "no-unused-vars": ["error", { args: "none" }],
        },
    },
];
