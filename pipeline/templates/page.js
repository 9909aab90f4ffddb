// The page's own script: search, filters, sort, the URL hash and "Copy BibTeX". No library.
// The papers are already in the HTML (readable without script); this only shows, hides and
// reorders them. Per-paper facts for filtering and the BibTeX entries come from the JSON island.
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const papers = JSON.parse($("catalog-data").textContent).papers;
  const fields = ["q", "venue", "from", "to", "cat", "status", "sort"];
  const inputs = Object.fromEntries(fields.map((name) => [name, $(name)]));
  const groupsBox = $("groups");
  const flatBox = $("flat");
  const count = $("count");
  const sections = Array.from(groupsBox.querySelectorAll("section.group"));
  const articles = [];
  const groupOf = [];
  sections.forEach((section, g) => {
    for (const article of section.querySelectorAll("article.paper")) {
      articles.push(article);
      groupOf.push(g);
    }
  });
  const groupSizes = sections.map((s) => s.querySelectorAll("article.paper").length);
  const groupCounts = sections.map((s) => s.querySelector("h2 .n"));
  const total = articles.length;

  // Accents and case do not matter: "Martin" finds "Martín".
  const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const textOf = (article, selector) => {
    const node = article.querySelector(selector);
    return node ? node.textContent : "";
  };
  const haystacks = articles.map((a) =>
    fold([".title", ".authors", ".abstract-text"].map((s) => textOf(a, s)).join("\n")),
  );

  const read = () => Object.fromEntries(fields.map((name) => [name, inputs[name].value.trim()]));

  function matcher(state) {
    const words = fold(state.q).split(/\s+/).filter(Boolean);
    const years = [state.from, state.to].filter(Boolean).map(Number);
    const low = state.from ? Math.min(...years) : -Infinity;
    const high = state.to ? Math.max(...years) : Infinity;
    return (i) => {
      const p = papers[i];
      if (state.venue && p.venue !== state.venue) return false;
      if (state.status && p.status !== state.status) return false;
      if (state.cat && !p.cat.includes(state.cat)) return false;
      if (years.length && (p.year === null || p.year < low || p.year > high)) return false;
      const hay = haystacks[i];
      return words.every((w) => hay.includes(w));
    };
  }

  // Sorting by year or citations shows one flat list; list order shows the list's headings.
  let arranged = "";
  function arrange(sort) {
    if (sort === arranged) return;
    if (sort) {
      const key = sort === "year" ? "year" : "cites";
      const order = articles.map((_, i) => i);
      order.sort((a, b) => (papers[b][key] ?? -1) - (papers[a][key] ?? -1) || a - b);
      const fragment = document.createDocumentFragment();
      for (const i of order) fragment.appendChild(articles[i]);
      flatBox.appendChild(fragment);
    } else {
      articles.forEach((article, i) => sections[groupOf[i]].appendChild(article));
    }
    flatBox.hidden = !sort;
    groupsBox.hidden = Boolean(sort);
    arranged = sort;
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

  function apply(writeHash) {
    const state = read();
    arrange(state.sort);
    const matches = matcher(state);
    const perGroup = new Array(sections.length).fill(0);
    let shown = 0;
    for (let i = 0; i < total; i++) {
      const show = matches(i);
      if (articles[i].hidden === show) articles[i].hidden = !show;
      if (show) {
        shown += 1;
        perGroup[groupOf[i]] += 1;
      }
    }
    sections.forEach((section, g) => {
      const empty = perGroup[g] === 0;
      if (section.hidden !== empty) section.hidden = empty;
      const size = groupSizes[g];
      const label = `${perGroup[g] === size ? "" : `${perGroup[g]} of `}${size} paper${size === 1 ? "" : "s"}`;
      if (groupCounts[g] && groupCounts[g].textContent !== label) groupCounts[g].textContent = label;
    });
    count.textContent = shown === total ? `${total} of ${total} papers` : `${shown} of ${total} papers match`;
    $("none").hidden = shown > 0;
    if (writeHash) saveHash(state);
  }

  function clearAll() {
    for (const name of fields) inputs[name].value = "";
    apply(true);
  }

  // "#paper-KEY" (a chart's bar) shows that paper, clearing filters that hide it.
  function reveal(id) {
    const article = document.getElementById(id);
    if (!article) return;
    if (article.hidden || article.closest("[hidden]")) clearAll();
    article.setAttribute("tabindex", "-1");
    article.focus({ preventScroll: true });
    article.scrollIntoView({ block: "start" });
  }

  function fromHash() {
    const fragment = location.hash.slice(1);
    if (fragment.startsWith("paper-")) {
      apply(false);
      reveal(fragment); // keys are ASCII: no decoding needed
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

  async function copyEntry(button) {
    const i = Number(button.dataset.i);
    const entry = papers[i].bib;
    const done = await copyText(entry);
    button.focus();
    const status = $("copied");
    if (done) {
      button.textContent = "Copied";
      button.classList.add("done");
      status.textContent = "BibTeX entry copied to the clipboard.";
      setTimeout(() => {
        button.textContent = "Copy BibTeX";
        button.classList.remove("done");
      }, 2000);
    } else {
      // Show the entry, selected, so it can be copied by hand.
      let pre = articles[i].querySelector("pre.bib");
      if (!pre) {
        pre = document.createElement("pre");
        pre.className = "bib";
        pre.textContent = entry;
        articles[i].appendChild(pre);
      }
      getSelection().selectAllChildren(pre);
      status.textContent = "Could not reach the clipboard: the entry is shown and selected.";
    }
  }

  const form = $("controls");
  form.addEventListener("input", () => apply(true));
  form.addEventListener("submit", (event) => event.preventDefault());
  $("reset").addEventListener("click", (event) => {
    event.preventDefault();
    clearAll();
  });
  $("clear-none").addEventListener("click", clearAll);
  $("results").addEventListener("click", (event) => {
    const button = event.target.closest("button.copy");
    if (button) copyEntry(button);
  });
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
  document.documentElement.dataset.ready = "true";
  performance.mark("page-ready"); // read by make bench
})();
