// The live call stepper: number keys pick the customer's reaction, Backspace goes back, notes save as you type,
// the timer runs, and the finished call's summary is copied with one click (or C).
(function () {
  "use strict";
  var root = document.getElementById("stepper");
  var panel = document.getElementById("panel");
  var notes = document.getElementById("notes");
  var notesStatus = document.getElementById("notes-status");
  var side = document.getElementById("side-article");
  var timerEl = document.getElementById("timer");
  var busy = false;

  // --- timer ---
  var started = Date.parse(root.getAttribute("data-started"));
  function tick() {
    var finished = root.getAttribute("data-finished");
    var end = finished ? Date.parse(finished) : Date.now();
    var s = Math.max(0, Math.floor((end - started) / 1000));
    timerEl.textContent = String(Math.floor(s / 60)).padStart(2, "0") + ":" + String(s % 60).padStart(2, "0");
  }
  tick();
  setInterval(tick, 1000);

  // --- steps: send the panel's forms without reloading the page ---
  function submit(form) {
    if (busy) return;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) return;
    busy = true;
    flushNotes();
    fetch(form.action, { method: "POST", body: new FormData(form), headers: { "X-Partial": "1" } })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        panel.innerHTML = html;
        var finished = panel.querySelector(".call-summary");
        root.setAttribute("data-finished", finished ? new Date().toISOString() : "");
        refreshSummary();
        if (document.activeElement && panel.contains(document.activeElement) === false && document.activeElement !== notes) {
          document.activeElement.blur && document.activeElement.blur();
        }
      })
      .catch(function () { form.submit(); })
      .then(function () { busy = false; });
  }

  panel.addEventListener("submit", function (e) {
    e.preventDefault();
    submit(e.target);
  });

  function typing(target) {
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "Escape" && document.activeElement === notes) { notes.blur(); return; }
    if (typing(e.target)) return;
    if (/^[1-9]$/.test(e.key)) {
      var button = panel.querySelector('.choice[data-key="' + e.key + '"]');
      if (button) { e.preventDefault(); submit(button.form); }
    } else if (e.key === "Backspace") {
      var back = document.getElementById("back");
      if (back) { e.preventDefault(); submit(back.form); }
    } else if (e.key === "n" || e.key === "N") {
      e.preventDefault();
      notes.focus();
    } else if (e.key === "c" || e.key === "C") {
      if (document.getElementById("copy-summary")) { e.preventDefault(); copySummary(); }
    }
  });

  // --- notes: saved as the agent types, and once more if the tab closes ---
  var saveTimer = null, dirty = false;
  function saveNotes() {
    if (!dirty) return;
    dirty = false;
    notesStatus.textContent = "保存中…";
    fetch(notes.getAttribute("data-save"), {
      method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ notes: notes.value })
    }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      notesStatus.textContent = "已保存 " + new Date().toLocaleTimeString("zh-CN", { hour12: false });
    }).catch(function () {
      dirty = true;
      notesStatus.textContent = "保存失败，稍后自动重试";
      clearTimeout(saveTimer);
      saveTimer = setTimeout(saveNotes, 3000);
    });
  }
  function flushNotes() { if (dirty) { clearTimeout(saveTimer); saveNotes(); } }
  notes.addEventListener("input", function () {
    dirty = true;
    refreshSummary();
    clearTimeout(saveTimer);
    saveTimer = setTimeout(saveNotes, 500);
  });
  window.addEventListener("pagehide", function () {
    if (dirty && navigator.sendBeacon) {
      var data = new FormData();
      data.append("notes", notes.value);
      data.append("csrf_token", notes.getAttribute("data-csrf"));
      navigator.sendBeacon(notes.getAttribute("data-beacon"), data);
    }
  });

  // --- summary ---
  function refreshSummary() {
    var pre = document.getElementById("summary-text");
    if (pre) pre.textContent = pre.getAttribute("data-base") + "\n备注：" + (notes.value.trim() || "无");
  }
  function copySummary() {
    var pre = document.getElementById("summary-text");
    var status = document.getElementById("copy-status");
    var text = pre.textContent;
    function done() { status.textContent = "已复制，可粘贴到工单"; }
    function fallback() {
      var area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      try { document.execCommand("copy"); done(); } catch (err) { status.textContent = "请手动选择并复制"; }
      document.body.removeChild(area);
    }
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  }
  panel.addEventListener("click", function (e) {
    if (e.target.id === "copy-summary") { copySummary(); return; }
    var link = e.target.closest("a[data-slug]");
    if (!link || e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault();
    fetch("/articles/" + link.getAttribute("data-slug") + "?partial=1")
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) {
        side.innerHTML = '<button type="button" class="close-article">关闭文章</button>' + html;
        side.hidden = false;
      })
      .catch(function () { window.open(link.href, "_blank"); });
  });
  side.addEventListener("click", function (e) {
    if (e.target.classList.contains("close-article")) { side.hidden = true; side.textContent = ""; }
  });
  refreshSummary();
})();
