// The demo's phone: shows one person's chat as the fake Bot API holds it,
// and sends what they type or tap. Polls once a second.
"use strict";
var who = document.getElementById("who");
var chat = document.getElementById("chat");
var kbd = document.getElementById("kbd");
var last = "";

function post(path, body) {
  return fetch(path, { method: "POST", headers: { "X-Demo": "1", "Content-Type": "application/json" }, body: JSON.stringify(body) });
}
function user() { return Number(who.value); }

function button(text, onclick) {
  var b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  b.addEventListener("click", onclick);
  return b;
}

function rows(target, keyboard, make) {
  keyboard.forEach(function (row) {
    var r = document.createElement("div");
    r.className = "row";
    row.forEach(function (b) { r.appendChild(make(b)); });
    target.appendChild(r);
  });
}

function render(state) {
  var key = JSON.stringify(state);
  if (key === last) return;
  last = key;
  chat.textContent = "";
  if (!state.lines || state.lines.length === 0) {
    var h = document.createElement("p");
    h.className = "hint";
    h.textContent = "还没有消息。点下面的按钮，或输入 /help。";
    chat.appendChild(h);
  }
  (state.lines || []).forEach(function (l) {
    var m = document.createElement("div");
    m.className = "msg" + (l.me ? " me" : "");
    m.textContent = l.text;
    if (l.file) {
      var f = document.createElement("div");
      f.className = "file";
      f.textContent = "📎 " + l.file;
      m.appendChild(f);
    }
    if (l.photo) {
      var img = document.createElement("img");
      img.src = l.photo;
      img.alt = "图表";
      m.appendChild(img);
    }
    if (l.buttons && l.buttons.length) {
      var box = document.createElement("div");
      box.className = "inline";
      rows(box, l.buttons, function (b) {
        return button(b.Text, function () {
          if (b.CallbackData) post("/demo/press", { user: user(), message: l.id, data: b.CallbackData }).then(refresh);
        });
      });
      m.appendChild(box);
    }
    chat.appendChild(m);
  });
  chat.scrollTop = chat.scrollHeight;
  kbd.textContent = "";
  var keyboard = state.keyboard;
  if (!keyboard || !keyboard.length) {
    var p = person();
    keyboard = p && p.office ? [["本期总览", "未填报单位"], ["帮助"]] : [["我的任务"], ["帮助"]];
  }
  rows(kbd, keyboard, function (text) {
    return button(text, function () { say(text); });
  });
}

var people = [];
function person() {
  return people.filter(function (p) { return p.id === user(); })[0];
}

function say(text) {
  return post("/demo/send", { user: user(), text: text }).then(refresh);
}

function refresh() {
  if (!who.value) return;
  fetch("/demo/chat?user=" + user()).then(function (r) { return r.json(); }).then(render);
  fetch("/demo/state").then(function (r) { return r.json(); }).then(function (s) {
    document.getElementById("now").textContent = s.now;
    document.getElementById("next").textContent = s.next ? "⏭ 下一步：" + s.next : "⏭ 下一步";
  });
}

function become() {
  last = "";
  var p = person();
  document.getElementById("chat-title").textContent = "改革任务机器人 · " + (p ? p.name : "");
  post("/demo/as", { user: user() }).then(function () {
    document.getElementById("dash").src = "/overview";
  });
  refresh();
}

document.getElementById("compose").addEventListener("submit", function (e) {
  e.preventDefault();
  var input = document.getElementById("text");
  var text = input.value.trim();
  input.value = "";
  if (text) say(text);
});
document.getElementById("attach").addEventListener("click", function () {
  var input = document.getElementById("text");
  post("/demo/attach", { user: user(), text: input.value.trim() }).then(refresh);
  input.value = "";
});
document.getElementById("next").addEventListener("click", function () {
  var btn = this;
  btn.disabled = true;
  post("/demo/next", { user: user() }).then(function (r) {
    return r.ok ? r.json() : { ran: [], error: true };
  }).then(function (res) {
    var ran = res.ran || [];
    document.getElementById("ran").textContent = res.error ? "出错了，请再点一次" :
      ran.length ? "刚才：" + ran.join("；") : "没有要做的定时任务";
    btn.disabled = false;
    refresh();
    document.getElementById("dash").contentWindow.location.reload();
  }).catch(function () { btn.disabled = false; });
});
who.addEventListener("change", become);

fetch("/demo/state").then(function (r) { return r.json(); }).then(function (s) {
  people = s.people;
  people.forEach(function (p) {
    var o = document.createElement("option");
    o.value = p.id;
    o.textContent = p.office ? "区委改革办" : p.unit + " 联络人";
    who.appendChild(o);
  });
  become();
  setInterval(refresh, 1000);
});
