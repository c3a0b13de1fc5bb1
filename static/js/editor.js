// The article editor: live preview and checks as the editor types, autosave to the server every few seconds
// and to this browser at once (so a closed tab or an expired session loses nothing), Ctrl+S saves a draft.
(function () {
  "use strict";
  var root = document.getElementById("editor");
  var form = document.getElementById("editor-form");
  var preview = document.getElementById("preview");
  var check = document.getElementById("check");
  var status = document.getElementById("autosave-status");
  var csrf = document.querySelector("meta[name=csrf-token]").content;
  var isNew = root.getAttribute("data-new") === "1";
  var storageKey = "kb-draft:" + (isNew ? "new:" : "") + root.getAttribute("data-slug");
  var previewTimer = null, saveTimer = null, seq = 0;

  function fields() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && el.name !== "csrf_token" && el.type !== "submit") data[el.name] = el.value;
    });
    if (!data.slug) data.slug = root.getAttribute("data-slug");
    data["new"] = isNew;
    return data;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf }
    });
  }

  function listItems(messages, cls) {
    return messages.map(function (m) {
      var li = document.createElement("li");
      li.className = cls;
      li.textContent = (cls === "error" ? "错误：" : "提示：") + m;
      return li;
    });
  }

  function refreshPreview() {
    var mine = ++seq;
    post(root.getAttribute("data-preview"), fields())
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (mine !== seq) return;
        preview.innerHTML = data.html; // sanitised on the server by the same renderer as article pages
        check.textContent = "";
        listItems(data.problems, "error").concat(listItems(data.warnings, "warning")).forEach(function (li) { check.appendChild(li); });
        if (!data.problems.length && !data.warnings.length) {
          var ok = document.createElement("li");
          ok.className = "ok";
          ok.textContent = "检查通过，可以提交审核";
          check.appendChild(ok);
        }
      })
      .catch(function () {});
  }

  function saveDraft() {
    var data = fields();
    post(root.getAttribute("data-autosave"), data)
      .then(function (r) {
        if (r.status === 401 || r.redirected) throw new Error("login");
        if (!r.ok) throw new Error(r.status);
        return r.json();
      })
      .then(function () {
        status.textContent = "草稿已自动保存 " + new Date().toLocaleTimeString("zh-CN", { hour12: false });
      })
      .catch(function (err) {
        status.textContent = err.message === "login"
          ? "登录已过期：内容已保存在本浏览器，重新登录后会自动恢复"
          : "自动保存失败：内容已保存在本浏览器";
      });
  }

  function changed() {
    try { localStorage.setItem(storageKey, JSON.stringify({ at: Date.now(), data: fields() })); } catch (e) {}
    clearTimeout(previewTimer);
    previewTimer = setTimeout(refreshPreview, 300);
    clearTimeout(saveTimer);
    saveTimer = setTimeout(saveDraft, 2000);
  }

  form.addEventListener("input", changed);
  form.addEventListener("submit", function () {
    try { localStorage.removeItem(storageKey); } catch (e) {}
  });
  document.addEventListener("keydown", function (e) {
    if ((e.ctrlKey || e.metaKey) && e.key === "s") {
      e.preventDefault();
      form.querySelector('button[value="save"]').click();
    }
  });

  // Summary length counter.
  Array.prototype.forEach.call(form.querySelectorAll("[data-count]"), function (input) {
    var out = input.parentNode.querySelector(".count");
    var max = parseInt(input.getAttribute("data-count"), 10);
    function show() { out.textContent = input.value.length + " / " + max; out.classList.toggle("over", input.value.length > max); }
    input.addEventListener("input", show);
    show();
  });

  // A copy kept in this browser that is newer than what the server gave us (say, the session expired before
  // the last autosave reached the server): offer it back.
  try {
    var kept = JSON.parse(localStorage.getItem(storageKey) || "null");
    var serverBody = form.elements.body.value;
    if (kept && kept.data && kept.data.body !== serverBody && !document.querySelector(".conflict")) {
      var bar = document.createElement("p");
      bar.className = "notice";
      bar.textContent = "本浏览器里有一份 " + new Date(kept.at).toLocaleString("zh-CN") + " 的未保存内容。";
      var use = document.createElement("button");
      use.type = "button";
      use.textContent = "恢复它";
      use.addEventListener("click", function () {
        Object.keys(kept.data).forEach(function (name) {
          if (form.elements[name] && name !== "base_revision_id" && typeof kept.data[name] === "string") form.elements[name].value = kept.data[name];
        });
        bar.remove();
        changed();
      });
      bar.appendChild(use);
      root.insertBefore(bar, root.querySelector(".editor-grid"));
    }
  } catch (e) {}

  refreshPreview();
})();
