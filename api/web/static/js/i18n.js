// Labels of the page: Chinese first, English on the switch. Every label of every view is in one
// catalogue, labels.json ({key: [zh, en]}): translations are data, edited in one file apart from the
// code. It is read once, before any module that imports this one runs, so t() never waits.

const LABELS = await fetch(new URL("./labels.json", import.meta.url), { headers: { Accept: "application/json" } })
  .then((response) => response.json());

let current = sessionStorage.getItem("anju.lang") === "en" ? 1 : 0;
const listeners = new Set();

/** The label in the current language; {name} placeholders are filled from vars. */
export function t(key, vars = {}) {
  const entry = LABELS[key];
  const text = entry ? entry[current] : key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

/** Both languages of a label, for a bilingual API field pair: zh-first, English on the switch. */
export function pick(zh, en) {
  return current === 1 && en ? en : zh;
}

export function lang() {
  return current === 1 ? "en" : "zh-CN";
}

export function toggleLang() {
  current = 1 - current;
  sessionStorage.setItem("anju.lang", current === 1 ? "en" : "zh");
  document.documentElement.lang = lang();
  listeners.forEach((listener) => listener());
}

export function onLangChange(listener) {
  listeners.add(listener);
}
