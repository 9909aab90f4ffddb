// The page's own script: search, filters, sort, the URL hash and "Copy BibTeX". No library.
// The papers are data (the "catalog-data" JSON island, one copy); this script renders the cards
// a reader scrolls to, a chunk at a time, so a 10,000-paper page opens as fast as a short one.
// Abstracts and BibTeX entries ("later-data") are inflated after the first cards are on screen,
// for the search, an opened abstract and the copy buttons. Text is only ever set with textContent.
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const data = JSON.parse($("catalog-data").textContent);
  const papers = data.papers;
  const total = papers.length;
  const CHUNK = 40; // cards rendered at a time
  const fields = ["q", "venue", "from", "to", "cat", "status", "sort"].filter((name) => $(name));
  const inputs = Object.fromEntries(fields.map((name) => [name, $(name)]));
  const list = $("list");
  const more = $("more");
  const count = $("count");
  const UNRESOLVED = data.statuses.indexOf("unresolved");
  const PARTIAL = data.statuses.indexOf("partial");

  // Which heading of the list each paper is under (papers come in list order).
  const groupOf = new Int32Array(total);
  const groupSizes = data.groups.map(([, size]) => size);
  let start = 0;
  data.groups.forEach(([, size], g) => {
    groupOf.fill(g, start, start + size);
    start += size;
  });
  const indexOfKey = new Map(papers.map((p, i) => [p.k, i]));

  // Accents and case do not matter: "Martin" finds "Martín".
  const fold = (s) =>
    (/[^\x00-\x7f]/.test(s) ? s.normalize("NFD").replace(/[\u0300-\u036f]/g, "") : s).toLowerCase();
  const haystacks = papers.map((p) => fold(`${p.t}\n${p.a}`));

  // -- abstracts and BibTeX entries: inflated once, after the first cards are on screen -------
  // "later-data" is JSON, deflated, in base64: per paper [abstract, entry], where the entry
  // holds U+0000 in place of an abstract it repeats verbatim (the page carries it once).
  let later = null;
  let loading = null;
  function loadLater() {
    if (!loading) {
      const packed = atob($("later-data").textContent.trim());
      const bytes = new Uint8Array(packed.length);
      for (let i = 0; i < packed.length; i++) bytes[i] = packed.charCodeAt(i);
      const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
      loading = new Response(inflated).text().then((text) => {
        later = JSON.parse(text);
        return later;
      });
    }
    return loading;
  }
  const abstractOf = (i) => later[i][0];
  const entryOf = (i) => later[i][1].replace("\u0000", () => later[i][0]);
  function indexAbstracts(from, done) {
    const end = Math.min(total, from + 2000);
    for (let i = from; i < end; i++) {
      const text = abstractOf(i);
      if (text) haystacks[i] += `\n${fold(text)}`;
    }
    if (end < total) setTimeout(() => indexAbstracts(end, done), 0);
    else done();
  }

  const read = () => Object.fromEntries(fields.map((name) => [name, inputs[name].value.trim()]));

  function matcher(state) {
    const words = fold(state.q || "").split(/\s+/).filter(Boolean);
    const years = [state.from, state.to].filter(Boolean).map(Number);
    const low = state.from ? Math.min(...years) : -Infinity;
    const high = state.to ? Math.max(...years) : Infinity;
    const venue = state.venue ? data.venues.indexOf(state.venue) : -1;
    const status = state.status ? data.statuses.indexOf(state.status) : -1;
    const cat = state.cat ? data.categories.indexOf(state.cat) : -1;
    return (i) => {
      const p = papers[i];
      if (venue >= 0 && p.v !== venue) return false;
      if (status >= 0 && p.s !== status) return false;
      if (cat >= 0 && !(p.g && p.g.includes(cat))) return false;
      if (years.length && (p.y === null || p.y < low || p.y > high)) return false;
      if (!words.length) return true;
      const hay = haystacks[i];
      for (const w of words) if (!hay.includes(w)) return false;
      return true;
    };
  }

  // Sorted orders, computed once each (sorting 10,000 papers is the slow part of a sort).
  const orders = {};
  function orderOf(sort) {
    if (!sort) return null;
    if (!orders[sort]) {
      const key = sort === "year" ? "y" : "c";
      const order = Array.from({ length: total }, (_, i) => i);
      order.sort((a, b) => (papers[b][key] ?? -1) - (papers[a][key] ?? -1) || a - b);
      orders[sort] = order;
    }
    return orders[sort];
  }

  // -- cards -------------------------------------------------------------------------------
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function card(i) {
    const p = papers[i];
    const article = el("article", p.s === UNRESOLVED ? "paper unresolved" : "paper");
    article.id = `paper-${p.k}`;
    article.dataset.i = i;
    article.setAttribute("aria-labelledby", `t${i}`);
    const title = el("h3", "title", p.t);
    title.id = `t${i}`;
    article.appendChild(title);
    if (p.a) article.appendChild(el("p", "authors", p.a));
    const meta = el("p", "meta");
    meta.appendChild(el("span", "where", p.y === null ? data.venues[p.v] : `${data.venues[p.v]} ${p.y}`));
    if (p.c !== null) {
      meta.appendChild(el("span", "cites", `${p.c.toLocaleString("en-US")} citation${p.c === 1 ? "" : "s"}`));
    }
    if (p.o) meta.appendChild(el("span", "badge stale", `Not refreshed: ${p.o}`));
    if (p.s === UNRESOLVED) {
      meta.appendChild(el("span", "badge warn", "Unresolved: built from the list alone, not verified"));
    } else if (p.s === PARTIAL) {
      meta.appendChild(el("span", "badge", "Partly resolved"));
    }
    for (const g of p.g || []) meta.appendChild(el("span", "tag", data.categories[g]));
    article.appendChild(meta);
    if (p.d) {
      const tldr = el("p", "tldr");
      tldr.append(el("b", "", "TL;DR"), ` ${p.d}`);
      article.appendChild(tldr);
    }
    if (p.h) {
      const details = el("details", "abstract");
      details.appendChild(el("summary", "", "Abstract"));
      details.appendChild(el("p", "abstract-text"));
      article.appendChild(details);
    }
    const links = el("p", "links");
    for (const [label, prefix, rest] of p.l || []) {
      const a = el("a", "", data.labels[label]);
      a.href = data.prefixes[prefix] + rest; // checked to be http(s) when the page was built
      a.rel = "noopener noreferrer";
      links.append(a, " ");
    }
    const copy = el("button", "copy", "Copy BibTeX");
    copy.type = "button";
    copy.dataset.i = i;
    copy.setAttribute("aria-label", `Copy BibTeX: ${p.t}`);
    links.appendChild(copy);
    article.appendChild(links);
    return article;
  }

  // A card is built the first time it is shown and kept: showing it again only moves it.
  const built = new Map();
  function cardOf(i) {
    let article = built.get(i);
    if (!article) {
      article = card(i);
      built.set(i, article);
    }
    return article;
  }

  // -- what is shown, and rendering it a chunk at a time -------------------------------------
  let shown = [];
  let perGroup = [];
  let sorted = false;
  let rendered = 0;
  let section = null; // the group section cards are being appended to (list order)

  function groupLabel(g) {
    const size = groupSizes[g];
    return `${perGroup[g] === size ? "" : `${perGroup[g]} of `}${size} paper${size === 1 ? "" : "s"}`;
  }

  function newSection(g) {
    const group = el("section", "group");
    group.dataset.g = g;
    group.setAttribute("aria-labelledby", `g${g}`);
    const heading = el("h2", "", `${data.groups[g][0]} `);
    heading.id = `g${g}`;
    heading.appendChild(el("span", "n", groupLabel(g)));
    group.appendChild(heading);
    return group;
  }

  // Cards shown[first .. rendered) are in the list.
  let first = 0;
  function renderMore(until) {
    const end = Math.min(shown.length, Math.max(until || 0, rendered + CHUNK));
    const fragment = document.createDocumentFragment();
    for (; rendered < end; rendered++) {
      const i = shown[rendered];
      if (sorted) {
        fragment.appendChild(cardOf(i));
        continue;
      }
      const g = groupOf[i];
      if (!section || Number(section.dataset.g) !== g) {
        section = newSection(g);
        fragment.appendChild(section);
      }
      section.appendChild(cardOf(i));
    }
    list.appendChild(fragment);
    more.hidden = rendered >= shown.length;
  }

  // The chunk before the first rendered card, above it (a link led into the middle of the list).
  function renderEarlier() {
    const from = Math.max(0, first - CHUNK);
    const fragment = document.createDocumentFragment();
    let open = null;
    for (let at = from; at < first; at++) {
      const i = shown[at];
      if (sorted) {
        fragment.appendChild(cardOf(i));
        continue;
      }
      if (!open || Number(open.dataset.g) !== groupOf[i]) {
        open = newSection(groupOf[i]);
        fragment.appendChild(open);
      }
      open.appendChild(cardOf(i));
    }
    const head = list.firstElementChild;
    if (open && head && head.dataset.g === open.dataset.g) {
      // the group goes on below: one heading for it
      for (const child of Array.from(head.children).slice(1)) open.appendChild(child);
      head.remove();
      if (section === head) section = open;
    }
    list.insertBefore(fragment, list.firstChild);
    first = from;
    showEarlier();
  }

  const earlier = $("earlier");
  function showEarlier() {
    earlier.hidden = first === 0;
    $("show-earlier").textContent = `Show earlier papers (${first} before these)`;
  }

  function render(from) {
    list.textContent = "";
    section = null;
    first = rendered = from || 0;
    renderMore(0);
    watchMore();
    showEarlier();
  }

  // Render the next chunk when the end of the rendered cards comes near the screen.
  const observer = new IntersectionObserver(
    (entries) => {
      if (entries.some((e) => e.isIntersecting) && rendered < shown.length) {
        renderMore(0);
        watchMore();
      }
    },
    { rootMargin: "0px 0px 1500px 0px" },
  );
  function watchMore() {
    observer.unobserve(more); // observing again reports where it is now
    if (rendered < shown.length) observer.observe(more);
  }

  function saveHash(state) {
    const params = new URLSearchParams();
    for (const name of fields) if (state[name]) params.set(name, state[name]);
    const fragment = params.toString();
    if (location.hash.slice(1) === fragment) return;
    const url = fragment ? `#${fragment}` : location.pathname + location.search;
    try {
      history.replaceState(null, "", url);
    } catch {
      location.replace(`#${fragment}`);
    }
  }

  const toggle = $("filters-toggle");
  function apply(writeHash) {
    const state = read();
    const matches = matcher(state);
    const order = orderOf(state.sort);
    const next = [];
    perGroup = new Array(groupSizes.length).fill(0);
    if (order) {
      for (const i of order) if (matches(i)) next.push(i);
    } else {
      for (let i = 0; i < total; i++) if (matches(i)) next.push(i);
    }
    for (const i of next) perGroup[groupOf[i]] += 1;
    const same =
      sorted === Boolean(order) && next.length === shown.length && next.every((i, at) => i === shown[at]);
    // The same papers in the same order (a letter that narrows nothing): the cards stay.
    if (!same) {
      shown = next;
      sorted = Boolean(order);
      render();
    }
    count.textContent =
      shown.length === total ? `${total} of ${total} papers` : `${shown.length} of ${total} papers match`;
    $("none").hidden = shown.length > 0;
    $("copy-shown").disabled = $("download-shown").disabled = shown.length === 0;
    const active = fields.filter((name) => name !== "q" && state[name]).length;
    toggle.textContent = active ? `Filters (${active})` : "Filters";
    if (writeHash) saveHash(state);
  }

  function clearAll() {
    for (const name of fields) inputs[name].value = "";
    apply(true);
  }

  // "#paper-KEY" (a chart's bar) shows that paper, clearing filters that hide it.
  function reveal(key) {
    const i = indexOfKey.get(key);
    if (i === undefined) return;
    let at = shown.indexOf(i);
    if (at < 0) {
      clearAll();
      at = shown.indexOf(i);
    }
    // Near the rendered cards: render on to it; far: render from it, earlier ones on request.
    if (at < first || at >= rendered + CHUNK) render(at);
    else if (at >= rendered) renderMore(at + 1);
    const article = $(`paper-${key}`);
    article.setAttribute("tabindex", "-1");
    article.focus({ preventScroll: true });
    article.scrollIntoView({ block: "start" });
  }

  function fromHash() {
    const fragment = location.hash.slice(1);
    if (fragment.startsWith("paper-")) {
      apply(false);
      reveal(fragment.slice("paper-".length)); // keys are ASCII: no decoding needed
      return;
    }
    const params = new URLSearchParams(fragment);
    for (const name of fields) {
      const wanted = params.get(name) || "";
      inputs[name].value = wanted;
      if (inputs[name].value !== wanted) inputs[name].value = ""; // not an option here
    }
    apply(false);
  }

  // -- copying and downloading BibTeX ------------------------------------------------------
  async function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text);
        return true;
      } catch {
        // refused (no permission, or not focused): fall back to a selection copy below
      }
    }
    const buffer = document.createElement("textarea");
    buffer.value = text;
    buffer.setAttribute("readonly", "");
    buffer.className = "clipboard-buffer";
    document.body.appendChild(buffer);
    buffer.select();
    let done = false;
    try {
      done = document.execCommand("copy");
    } catch {
      done = false;
    }
    buffer.remove();
    return done;
  }

  const status = $("copied");
  function confirm(button, label, message) {
    button.textContent = "Copied";
    button.classList.add("done");
    status.textContent = message;
    setTimeout(() => {
      button.textContent = label;
      button.classList.remove("done");
    }, 2000);
  }

  async function copyEntry(button) {
    const i = Number(button.dataset.i);
    await loadLater();
    const entry = entryOf(i);
    const done = await copyText(entry);
    button.focus();
    if (done) {
      confirm(button, "Copy BibTeX", "BibTeX entry copied to the clipboard.");
    } else {
      // Show the entry, selected, so it can be copied by hand.
      const article = button.closest("article");
      let pre = article.querySelector("pre.bib");
      if (!pre) {
        pre = el("pre", "bib", entry);
        article.appendChild(pre);
      }
      getSelection().selectAllChildren(pre);
      status.textContent = "Could not reach the clipboard: the entry is shown and selected.";
    }
  }

  // The shown papers' entries, in the order shown, joined as papers.bib joins them.
  const shownBib = () => shown.map(entryOf).join("\n");

  async function copyShown(button) {
    const label = button.textContent;
    await loadLater();
    const done = await copyText(shownBib());
    button.focus();
    if (done) confirm(button, label, `${shown.length} BibTeX entries copied to the clipboard.`);
    else status.textContent = "Could not reach the clipboard: use Download .bib instead.";
  }

  async function downloadShown() {
    await loadLater();
    const blob = new Blob([shownBib()], { type: "application/x-bibtex;charset=utf-8" });
    const link = el("a");
    link.href = URL.createObjectURL(blob);
    link.download = shown.length === total ? "papers.bib" : "papers-selection.bib";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    status.textContent = `${shown.length} BibTeX entries downloaded.`;
  }

  // -- events ------------------------------------------------------------------------------
  const form = $("controls");
  form.addEventListener("input", () => apply(true));
  form.addEventListener("submit", (event) => event.preventDefault());
  $("reset").addEventListener("click", (event) => {
    event.preventDefault();
    clearAll();
  });
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    form.classList.toggle("open", open);
  });
  $("clear-none").addEventListener("click", clearAll);
  $("show-earlier").addEventListener("click", renderEarlier);
  $("copy-shown").addEventListener("click", (event) => copyShown(event.currentTarget));
  $("download-shown").addEventListener("click", downloadShown);
  list.addEventListener("click", (event) => {
    const button = event.target.closest("button.copy");
    if (button) copyEntry(button);
  });
  // An abstract's text is set when it is first opened.
  list.addEventListener(
    "toggle",
    (event) => {
      const details = event.target;
      if (!details.open || !details.classList.contains("abstract")) return;
      const text = details.querySelector(".abstract-text");
      const i = Number(details.closest("article").dataset.i);
      if (!text.textContent) loadLater().then(() => (text.textContent = abstractOf(i)));
    },
    true,
  );
  window.addEventListener("hashchange", fromHash);
  // "/" jumps to the search box, as on many sites.
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest("input, select, textarea");
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      inputs.q.focus();
    }
  });
  fromHash();
  performance.mark("page-ready"); // the first cards are on screen and the controls work
  setTimeout(async () => {
    await loadLater();
    indexAbstracts(0, () => {
      if (inputs.q.value.trim()) apply(false); // a search typed meanwhile now sees abstracts too
      document.documentElement.dataset.ready = "true";
      performance.mark("index-ready"); // read by make bench
    });
  }, 0);
})();
