// reformbot dashboard: the little the pages need beyond HTML. No inline
// scripts anywhere (the CSP forbids them); everything hangs off classes.
"use strict";

// A period picker changes the page when a period is chosen.
document.addEventListener("change", function (e) {
  if (e.target.classList && e.target.classList.contains("autosubmit")) e.target.form.submit();
});

// Inside Telegram (a Mini App) the page is opened with the signed initData
// in the URL fragment. Exchange it for a session cookie; where the client
// does not keep cookies (Telegram's web clients frame the page), fetch each
// page with the initData in an Authorization header instead.
(function () {
  var KEY = "reformbot.tma";
  var m = /(?:^#|&)tgWebAppData=([^&]*)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(KEY, decodeURIComponent(m[1]));
    history.replaceState(null, "", location.pathname + location.search);
  }
  var initData = sessionStorage.getItem(KEY);
  var login = document.getElementById("login");
  if (!initData || !login || login.querySelector("form")) return;
  document.getElementById("tma-wait").hidden = false;
  var body = new URLSearchParams({ initData: initData });
  fetch("/auth/tma", { method: "POST", body: body, credentials: "same-origin" }).then(function (r) {
    if (!r.ok) throw new Error("tma " + r.status);
    return fetch(location.href, { credentials: "same-origin" });
  }).then(function (r) {
    if (r.status !== 401) { location.reload(); return; }
    // No cookie kept: show pages fetched with the header.
    headerMode(initData);
  }).catch(function () {
    document.getElementById("tma-wait").textContent = "Telegram 身份验证失败：请确认已绑定，并从机器人的工作台按钮打开。";
  });
})();

function headerMode(initData) {
  function show(url) {
    fetch(url, { headers: { Authorization: "tma " + initData } }).then(function (r) { return r.text(); }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      document.body.replaceWith(document.adoptNode(doc.body));
      history.pushState(null, "", url);
    });
  }
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[href^='/']");
    if (!a || a.target) return;
    e.preventDefault();
    show(a.getAttribute("href"));
  });
  show(location.pathname + location.search);
}
