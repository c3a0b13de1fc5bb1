// Site-wide keyboard behaviour: the page's [autofocus] control has focus as soon as the script runs (Chromium
// applies autofocus only at a later rendering step, so a key pressed right after load could be lost), and "/"
// focuses the search box unless the user is typing in a field.
(function () {
  var first = document.querySelector("[autofocus]");
  if (first && (document.activeElement === document.body || !document.activeElement)) first.focus();

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
