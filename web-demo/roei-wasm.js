// The package's WebAssembly modules, loaded for the custom elements: one loader shared by
// <roei-incident> (the engine `roei_wasm`, the documents `roei_reports`) and <roei-drill> (`roei_drill`,
// and `roei_reports` for its timeline). Each module's glue and its .wasm are fetched in parallel (a
// static import would fetch the .wasm only after the glue arrived) and compiled as they stream in;
// a module is fetched once per page, whichever element asks first.

/** The package folder: `pkg/` beside the sources; the built widget sits in it (scripts/build-widget.mjs). */
const PKG = new URL("./pkg/", import.meta.url);
const modules = new Map();

/** The initialised module `name` (`roei_wasm`, `roei_reports`, `roei_drill`): its exports. */
export function loadModule(name) {
  if (!modules.has(name)) {
    modules.set(name, Promise.all([import(new URL(`${name}.js`, PKG).href), fetch(new URL(`${name}_bg.wasm`, PKG))])
      .then(async ([glue, wasm]) => {
        await glue.default({ module_or_path: wasm });
        return glue;
      }));
  }
  return modules.get(name);
}
