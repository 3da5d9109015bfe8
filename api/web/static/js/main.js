// The page: sign-in, menus by role, and a hash router over the views of views/index.js.

import { call, get, onUnauthenticated, path, setToken, token } from "./api.js";
import { t, lang, onLangChange, toggleLang } from "./i18n.js";
import { problemText, showProblem } from "./problems.js";
import { field, formProblem, h, heading, link, loading, notice, route } from "./ui.js";
import { VIEWS } from "./views/index.js";

const main = document.getElementById("main");
const nav = document.getElementById("nav");
const bookNav = document.getElementById("book-nav");
const sessionBox = document.getElementById("session");
const langButton = document.getElementById("lang");

const state = { me: null, books: null, bookDetails: new Map(), flash: null, renderCount: 0 };

// --- session ------------------------------------------------------------------------
async function restore() {
  const signedOut = sessionStorage.getItem("anju.signed_out");
  sessionStorage.removeItem("anju.signed_out");
  if (!token()) return renderSignIn(signedOut ? JSON.parse(signedOut) : undefined);
  try {
    state.me = await get("/me");
    await render();
  } catch (problem) {
    setToken(null);
    renderSignIn(problem);
  }
}

/** Sign out: forget the token and start the page afresh, so no draft or figure of this session stays in memory. */
function signOut(problem) {
  setToken(null);
  if (problem) sessionStorage.setItem("anju.signed_out", JSON.stringify({ slug: problem.slug, status: problem.status }));
  location.replace(location.pathname);
}

onUnauthenticated((problem) => {
  if (state.me) signOut(problem);
});

function renderSignIn(problem) {
  nav.replaceChildren();
  bookNav.replaceChildren();
  bookNav.hidden = true;
  sessionBox.replaceChildren();
  document.title = `${t("signin.title")} · ${t("app.title")}`;
  const input = h("input", { type: "password", name: "token", autocomplete: "current-password", spellcheck: "false",
    required: true, class: "token-input" });
  const tokenField = field(t("signin.token"), input, { hint: t("signin.hint") });
  const form = h("form", { class: "card signin", novalidate: true },
    formProblem(), tokenField, h("div", { class: "actions" }, h("button", { type: "submit" }, t("signin.submit"))));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const typed = input.value.trim();
    const fields = { token: tokenField };
    if (!typed) {
      showProblem(form, { slug: "invalid-request", status: 0, detail: "", errors: [{ loc: ["token"], type: "missing" }] },
        { fields, locate: () => "token" });
      return;
    }
    try {
      const me = await call("/me", { auth: typed });
      setToken(typed);
      state.me = me;
      if (location.hash && location.hash !== "#/") await render();
      else go("/");
    } catch (failure) {
      showProblem(form, failure, { fields, place: () => [{ field: "token", message: problemText(failure) }] });
    }
  });
  const intro = h("p", {}, t("signin.intro"));
  main.replaceChildren(h("div", {}, heading(t("signin.title")), problem ? notice(problemText(problem), "bad") : null, intro, form,
    h("p", { class: "sub" }, h("a", { href: "/docs" }, t("app.docs")))));
  input.focus();
}

// --- routing --------------------------------------------------------------------------
function parseHash() {
  const raw = location.hash.replace(/^#/, "") || "/";
  const [pathname, search = ""] = raw.split("?");
  return { pathname: pathname || "/", query: Object.fromEntries(new URLSearchParams(search)) };
}

function match(pathname) {
  const parts = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  for (const view of VIEWS) {
    const pattern = view.path.split("/").filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params = {};
    if (pattern.every((segment, i) => (segment.startsWith(":") ? ((params[segment.slice(1)] = parts[i]), true) : segment === parts[i]))) {
      return { view, params };
    }
  }
  return null;
}

export function go(pathname, query = {}) {
  const target = `#${route(pathname, query)}`;
  if (location.hash === target) render();
  else location.hash = target;
}

function homeRoute() {
  const role = state.me.role;
  if (role === "township") return "/township";
  if (role === "auditor") return "/events";
  if (state.books && state.books.length === 1) return `/b/${encodeURIComponent(state.books[0].book_code)}`;
  return "/books";
}

async function books() {
  if (!state.books) state.books = (await get("/books")).books;
  return state.books;
}

async function bookDetail(code, refresh = false) {
  if (refresh || !state.bookDetails.has(code)) state.bookDetails.set(code, await get(path("books", code)));
  return state.bookDetails.get(code);
}

function allowed(view) {
  return !view.roles || view.roles.includes(state.me.role);
}

async function render() {
  if (!state.me) return renderSignIn();
  const count = ++state.renderCount;
  const { pathname, query } = parseHash();
  renderSession();
  if (pathname === "/") {
    await books().catch(() => []);
    if (count === state.renderCount) location.replace(`#${homeRoute()}`); // unless another navigation came first
    return;
  }
  const found = match(pathname);
  main.replaceChildren(loading());
  let node;
  let book = null;
  try {
    await books();
    if (found?.params.book) book = await bookDetail(found.params.book);
    renderNav(found?.view, book);
    if (!found) node = h("div", {}, heading(t("app.not_found")), link(t("app.back_home"), "/"));
    else if (!allowed(found.view)) node = h("div", {}, heading(t("app.not_allowed")), link(t("app.back_home"), "/"));
    else {
      const ctx = { params: found.params, query, pathname, me: state.me, books: state.books, book, go,
        refreshBook: () => bookDetail(found.params.book, true), flash: takeFlash(), setFlash, allowed: (id) => {
          const view = VIEWS.find((v) => v.id === id);
          return view && allowed(view) && (!view.when || !book || view.when(book));
        } };
      node = await found.view.render(ctx);
    }
  } catch (problem) {
    renderNav(found?.view, book);
    node = h("div", {}, heading(found ? t(found.view.label) : t("app.title")), notice(problemText(problem), "bad"),
      problem.detail ? h("p", { class: "problem-detail", lang: "en" }, problem.detail) : null);
  }
  if (count !== state.renderCount) return; // a later navigation won
  main.replaceChildren(node);
  const title = main.querySelector("h1");
  document.title = `${title ? title.textContent : ""} · ${t("app.title")}`;
  if (title && !main.contains(document.activeElement)) title.focus({ preventScroll: true });
  const autofocus = main.querySelector("[data-autofocus]");
  if (autofocus) autofocus.focus();
}

function setFlash(message) {
  state.flash = message;
}

function takeFlash() {
  const message = state.flash;
  state.flash = null;
  return message;
}

// --- header ---------------------------------------------------------------------------------
function renderSession() {
  const me = state.me;
  const scope = me.scope.kind === "all" ? t("scope.all") : `${t(`scope.${me.scope.kind}`)} ${me.scope.ids.join(", ")}`;
  sessionBox.replaceChildren(
    h("span", { class: "who" }, h("span", { class: "visually-hidden" }, t("app.signed_in_as")), " ",
      h("strong", {}, t(`role.${me.role}`)), ` · ${me.subject} · ${scope}`),
    h("button", { type: "button", class: "secondary", onclick: () => signOut() }, t("app.sign_out")));
}

function renderNav(current, book) {
  const top = VIEWS.filter((view) => view.menu === "top" && allowed(view));
  nav.setAttribute("aria-label", t("nav.main_menu"));
  nav.replaceChildren(h("ul", { class: "menu" }, top.map((view) => menuItem(view, view.path, current))));
  bookNav.setAttribute("aria-label", t("nav.book_menu"));
  bookNav.hidden = !book;
  if (!book) return bookNav.replaceChildren();
  const inBook = VIEWS.filter((view) => view.menu === "book" && allowed(view) && (!view.when || view.when(book)));
  const base = `/b/${encodeURIComponent(book.book_code)}`;
  bookNav.replaceChildren(...[
    h("a", { class: "book-name", href: `#${base}`, "aria-current": current?.id === "book-home" ? "page" : null }, book.name),
    bookSwitcher(book),
    h("ul", { class: "menu" },
      inBook.map((view) => menuItem(view, view.path.replace(":book", encodeURIComponent(book.book_code)), current))),
  ].filter(Boolean));
}

function bookSwitcher(book) {
  if (!state.books || state.books.length < 2) return null;
  const select = h("select", { "aria-label": t("nav.books"), class: "book-switch" },
    state.books.map((b) => h("option", { value: b.book_code, selected: b.book_code === book.book_code }, `${b.name} (${b.book_code})`)));
  select.addEventListener("change", () => {
    const { pathname, query } = parseHash();
    go(pathname.replace(/^\/b\/[^/]+/, `/b/${encodeURIComponent(select.value)}`).replace(/\/vouchers\/.+$/, "/vouchers"), query);
  });
  return select;
}

function menuItem(view, target, current) {
  const here = current && current.id === view.id;
  return h("li", {}, h("a", { href: `#${target}`, "aria-current": here ? "page" : null }, t(view.label)));
}

// --- start ----------------------------------------------------------------------------------
document.querySelector(".skip").addEventListener("click", (event) => {
  event.preventDefault();
  (main.querySelector("h1") || main).focus();
});
langButton.addEventListener("click", () => toggleLang());
onLangChange(() => {
  document.documentElement.lang = lang();
  langButton.textContent = t("app.lang");
  langButton.setAttribute("aria-label", t("app.lang_label"));
  document.querySelector(".skip").textContent = t("app.skip");
  document.querySelector(".brand").textContent = t("app.brand");
  if (state.me) render();
  else renderSignIn();
});
document.documentElement.lang = lang();
langButton.textContent = t("app.lang");
langButton.setAttribute("aria-label", t("app.lang_label"));
window.addEventListener("hashchange", () => render());
restore();
