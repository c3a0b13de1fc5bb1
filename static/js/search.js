// Search as you type: debounced calls to /api/search, stale answers dropped, results rendered in place;
// articles open in the reading pane so the result list stays. On a wide screen the pane previews the selected
// result while the agent types, so the answer is readable before any key is pressed.
// Keyboard: ↑/↓ select (and preview), Enter open, Esc back.
(function () {
  "use strict";
  var DEBOUNCE_MS = 120;
  var input = document.getElementById("q");
  var category = document.getElementById("category");
  var list = document.getElementById("results");
  var status = document.getElementById("status");
  var browse = document.getElementById("browse");
  var reader = document.getElementById("reader");
  var layout = document.getElementById("search-layout");
  var api = list.getAttribute("data-api");
  var labels = {};
  Array.prototype.forEach.call(category.options, function (o) { if (o.value) labels[o.value] = o.text; });

  var timer = null, seq = 0, controller = null, selected = -1, missTimer = null;
  var PREVIEW_MS = 180, previewTimer = null, readerSeq = 0, hits = [];
  var pinned = false; // the agent opened an article on purpose: a re-run of the same search must not replace it
  var MISS_AFTER_MS = 1500; // a query the agent stopped at with no results is reported to the editors

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }

  function setUrl(params) {
    var url = new URL(window.location.href);
    Object.keys(params).forEach(function (k) {
      if (params[k]) url.searchParams.set(k, params[k]); else url.searchParams.delete(k);
    });
    history.replaceState(null, "", url.pathname + (url.search || ""));
  }

  function wide() { return !window.matchMedia("(max-width: 56rem)").matches; }

  function render(data) {
    list.textContent = "";
    selected = -1;
    hits = data.results;
    data.results.forEach(function (hit) {
      var li = el("li", "result");
      var a = el("a", "result-link");
      a.href = hit.url;
      // Articles open in the reading pane; a call guide opens its own page (to start the call).
      if (hit.type === "article") a.setAttribute("data-slug", hit.slug);
      a.appendChild(el("span", "result-title", hit.title));
      a.appendChild(el("span", "badge" + (hit.type === "guide" ? " badge-guide" : ""),
        hit.type === "guide" ? "通话指南" : (labels[hit.category] || hit.category)));
      li.appendChild(a);
      var snippet = el("p", "result-snippet");
      snippet.innerHTML = hit.snippet; // server-escaped text with <mark> only
      li.appendChild(snippet);
      li.appendChild(el("p", "result-summary", hit.summary));
      list.appendChild(li);
    });
    status.textContent = data.results.length ? data.total + " 条结果" : "没有找到相关内容，换个说法试试（例如用客户的原话）";
    browse.hidden = true;
    schedulePreview();
    clearTimeout(missTimer);
    if (!data.results.length) {
      var asked = input.value;
      missTimer = setTimeout(function () {
        if (input.value !== asked) return;
        fetch("/api/search/miss", { method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ q: asked }) }).catch(function () {});
      }, MISS_AFTER_MS);
    }
  }

  function search() {
    var q = input.value.trim();
    setUrl({ q: q, category: category.value });
    if (controller) controller.abort();
    if (!q) {
      list.textContent = "";
      status.textContent = "";
      browse.hidden = false;
      hits = [];
      clearPreview();
      return;
    }
    var mine = ++seq;
    controller = window.AbortController ? new AbortController() : null;
    var url = api + "?limit=20&q=" + encodeURIComponent(input.value) +
      (category.value ? "&category=" + encodeURIComponent(category.value) : "");
    fetch(url, controller ? { signal: controller.signal } : {})
      .then(function (r) { return r.json(); })
      .then(function (data) { if (mine === seq) render(data); })
      .catch(function (err) { if (err.name !== "AbortError" && mine === seq) status.textContent = "搜索暂时不可用，请稍后再试"; });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(search, DEBOUNCE_MS);
  }

  function links() { return list.querySelectorAll(".result-link"); }

  function select(i) {
    var items = list.querySelectorAll(".result");
    if (!items.length) return;
    selected = Math.max(0, Math.min(i, items.length - 1));
    Array.prototype.forEach.call(items, function (li, j) { li.classList.toggle("selected", j === selected); });
    items[selected].scrollIntoView({ block: "nearest" });
    pinned = false;
    schedulePreview();
  }

  // `preview`: shown beside the list while the agent is still typing or choosing; no focus move, no URL change.
  function openArticle(slug, focusReader, preview) {
    var mine = ++readerSeq;
    if (!preview) { clearTimeout(previewTimer); pinned = true; }
    fetch("/articles/" + slug + "?partial=1")
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) {
        if (mine !== readerSeq) return; // a later preview or open won
        if (preview) {
          reader.innerHTML = '<p class="peek-note">预览 · 按 Enter 打开</p>' + html;
          showPeek();
          return;
        }
        reader.innerHTML = '<button type="button" class="back">← 返回结果</button>' + html;
        reader.classList.remove("peek");
        reader.hidden = false;
        reader.scrollTop = 0;
        layout.classList.add("reading");
        setUrl({ a: slug });
        if (focusReader) reader.focus();
      })
      .catch(function () { if (!preview) window.location.href = "/articles/" + slug; });
  }

  // A call guide is started from its own page; the preview shows its first step and a button to start the call
  // (or, if that cannot be fetched, names it and says how to get there).
  function previewGuide(hit) {
    var mine = ++readerSeq;
    fetch(hit.url + "?partial=1")
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) {
        if (mine !== readerSeq) return;
        reader.innerHTML = html;
        showPeek();
      })
      .catch(function () { if (mine === readerSeq) guideCard(hit); });
  }

  function showPeek() {
    reader.classList.add("peek");
    reader.hidden = false;
    reader.scrollTop = 0;
    layout.classList.remove("reading");
    setUrl({ a: "" });
  }

  function guideCard(hit) {
    reader.textContent = "";
    var box = el("article", "guide-peek");
    box.appendChild(el("p", "peek-note", "通话指南预览 · 按 Enter 打开"));
    box.appendChild(el("h1", null, hit.title));
    box.appendChild(el("p", "summary", hit.summary));
    var link = el("a", "button primary", "打开通话指南");
    link.href = hit.url;
    box.appendChild(link);
    reader.appendChild(box);
    showPeek();
  }

  function schedulePreview() {
    clearTimeout(previewTimer);
    if (pinned || !wide() || !hits.length) return;
    var hit = hits[Math.max(selected, 0)];
    previewTimer = setTimeout(function () {
      if (hit.type === "article") openArticle(hit.slug, false, true);
      else previewGuide(hit);
    }, PREVIEW_MS);
  }

  function clearPreview() {
    clearTimeout(previewTimer);
    if (!reader.classList.contains("peek")) return;
    ++readerSeq;
    reader.textContent = "";
    reader.classList.remove("peek");
    reader.hidden = true;
  }

  function closeArticle() {
    layout.classList.remove("reading");
    if (window.matchMedia("(max-width: 56rem)").matches) reader.hidden = true;
    setUrl({ a: "" });
    input.focus();
  }

  input.addEventListener("input", function () { pinned = false; schedule(); });
  category.addEventListener("change", search);
  document.getElementById("search-form").addEventListener("submit", function (e) { e.preventDefault(); search(); });

  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { e.preventDefault(); select(selected + 1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); select(selected - 1); }
    else if (e.key === "Enter") {
      e.preventDefault();
      clearTimeout(timer);
      var all = links();
      if (!all.length) { search(); return; }
      var chosen = all[Math.max(selected, 0)];
      if (chosen.getAttribute("data-slug")) openArticle(chosen.getAttribute("data-slug"), true);
      else window.location.href = chosen.href;
    } else if (e.key === "Escape") { input.value = ""; search(); }
  });

  function handleLink(e) {
    var a = e.target.closest("a[data-slug]");
    if (!a || !a.getAttribute("data-slug") || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    openArticle(a.getAttribute("data-slug"), false);
  }
  list.addEventListener("click", handleLink);
  reader.addEventListener("click", function (e) {
    if (e.target.classList.contains("back")) { closeArticle(); return; }
    handleLink(e);
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && document.activeElement !== input) { e.preventDefault(); closeArticle(); }
  });

  var params = new URLSearchParams(window.location.search);
  if (params.get("a")) openArticle(params.get("a"), false);
  if (input.value.trim()) search(); // also when the server rendered the list: the preview needs the hits
  input.focus();
})();
