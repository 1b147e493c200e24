// Runs worksheet calls the way xlwings Lite does, in real Pyodide under Node, offline.
//
//   node driver.mjs PYODIDE_DIR WHEELS_DIR RUNTIME_PY REQUEST_JSON
//
// PYODIDE_DIR is an installed npm "pyodide" package; every *.whl in WHEELS_DIR is
// unpacked into Pyodide's site-packages (xlwings Lite installs the same wheels with
// micropip; unpacking needs neither micropip, which the npm package does not bundle,
// nor the network). RUNTIME_PY is runtime.py beside this file; REQUEST_JSON is
// {"modules": {name: source}, "calls": [{"module": name, "body": {...}}]}, each body
// built as xlwings' Office.js code builds it. Prints one line of JSON:
// {"python", "xlwings", "pyodide", "meta": {name: metadata}, "results": [...], "ms": [...],
//  "fetched": [...], "timings": {...}}: "ms" is each call's milliseconds, JavaScript to
// JavaScript; "fetched" every URL anything asked fetch() for (each refused: the run is
// offline, and tests/lite_harness.py also starts Node without a network where it can);
// "timings" the milliseconds of each step of the start, as Lite takes them: "pyodide"
// (the interpreter), "install" (the wheels), "runtime" (xlwings' Office.js side), and
// "load" {name: [first, again]}, each module run twice as Lite runs main.py at every
// start and every edit.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, wheelsDir, runtimeFile, requestFile] = process.argv.slice(2);
const fetched = [];
globalThis.fetch = async (resource) => {
  const url = String(resource?.url ?? resource);
  fetched.push(url);
  throw new TypeError(`offline: fetch(${url}) refused`);
};
const timings = { load: {} };
let started = performance.now();
const lap = (name) => {
  const now = performance.now();
  timings[name] = now - started;
  started = now;
};
const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
// Python's own output goes to stderr: stdout carries the answer only.
const py = await loadPyodide({
  indexURL: pyodideDir + "/",
  stdout: (line) => process.stderr.write(line + "\n"),
  stderr: (line) => process.stderr.write(line + "\n"),
});
lap("pyodide");
for (const wheel of readdirSync(wheelsDir).filter((name) => name.endsWith(".whl")).sort()) {
  // a Node Buffer is not accepted: it has to be a plain Uint8Array
  py.unpackArchive(new Uint8Array(readFileSync(join(wheelsDir, wheel))), "wheel");
}
lap("install");
const runtime = py.globals.get("dict")();
runtime.set("__name__", "lite_runtime"); // a module, not __main__: its script part stays idle
py.runPython(readFileSync(runtimeFile, "utf8"), { globals: runtime });
lap("runtime");
const request = JSON.parse(readFileSync(requestFile, "utf8"));
const answer = { ...JSON.parse(runtime.get("versions")()), pyodide: py.version, meta: {} };
for (const [name, source] of Object.entries(request.modules)) {
  const times = [];
  for (let again = 0; again < 2; again++) {
    const before = performance.now();
    answer.meta[name] = JSON.parse(runtime.get("load")(name, source));
    times.push(performance.now() - before);
  }
  timings.load[name] = times;
}
const call = runtime.get("call");
answer.results = [];
answer.ms = [];
for (const each of request.calls) {
  const started = performance.now();
  answer.results.push(JSON.parse(await call(each.module, each.body)));
  answer.ms.push(performance.now() - started);
}
answer.fetched = fetched;
answer.timings = timings;
process.stdout.write(JSON.stringify(answer) + "\n");
