// Site-wide keyboard shortcut: "/" focuses the search box (unless the user is typing in a field).
(function () {
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    var box = document.querySelector("[data-shortcut='/']");
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });
})();
