/* Werkpad web chat: no framework, no build step, plain ES5 plus fetch and Promise so that old
   phone browsers run it. Message text only ever reaches the page through textContent and
   createTextNode, so HTML in a message shows as text. */
(function () {
  "use strict";

  var UI = window.WERKPAD_UI_STRINGS; // static/ui-strings.js

  var VISITOR_KEY = "werkpad.visitor";
  var LANG_KEY = "werkpad.lang";
  var VISITOR_RE = /^[A-Za-z0-9_-]{16,64}$/;
  var URL_RE = /\bhttps?:\/\/[^\s<>"]+/g;
  var ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  var config = JSON.parse(document.getElementById("chat-config").textContent);
  var el = {
    scroll: document.getElementById("scroll"),
    messages: document.getElementById("messages"),
    form: document.getElementById("composer"),
    input: document.getElementById("input"),
    send: document.getElementById("send"),
    language: document.getElementById("language"),
    error: document.getElementById("error"),
    errorText: document.getElementById("error-text"),
    retry: document.getElementById("retry")
  };
  var coarsePointer = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;

  var lang = config.defaultLanguage;
  var busy = false;
  var typing = null;
  var retryAction = null;
  var pendingText = null; // {text, id}: a failed text keeps its message id when sent again

  /* --- storage: private browsing may refuse localStorage; then the id lives for this tab -- */
  var memory = {};
  function load(key) {
    if (memory[key]) { return memory[key]; }
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function save(key, value) {
    memory[key] = value;
    try { window.localStorage.setItem(key, value); } catch (e) { /* kept in memory */ }
  }

  function newId(length) {
    var bytes = new Uint8Array(length);
    window.crypto.getRandomValues(bytes);
    var id = "";
    for (var i = 0; i < bytes.length; i++) { id += ID_ALPHABET.charAt(bytes[i] & 63); }
    return id;
  }

  var visitor = load(VISITOR_KEY);
  if (!visitor || !VISITOR_RE.test(visitor)) {
    visitor = newId(32);
    save(VISITOR_KEY, visitor);
  }

  /* --- language ------------------------------------------------------------------------ */
  function t(key) {
    var strings = UI[lang] || UI.en;
    return strings[key] || UI.en[key];
  }

  function applyLanguage(code) {
    if (!Object.prototype.hasOwnProperty.call(config.languages, code)) { return; }
    lang = code;
    document.documentElement.lang = code;
    document.documentElement.dir = config.rtl.indexOf(code) >= 0 ? "rtl" : "ltr";
    el.language.value = code;
    var labelled = document.querySelectorAll("[data-ui]");
    for (var i = 0; i < labelled.length; i++) {
      labelled[i].textContent = t(labelled[i].getAttribute("data-ui"));
    }
    el.input.placeholder = t("placeholder");
  }

  /* --- rendering ----------------------------------------------------------------------- */
  function scrollDown() { el.scroll.scrollTop = el.scroll.scrollHeight; }

  function append(node) {
    el.messages.appendChild(node);
    scrollDown();
    return node;
  }

  function bubble(who) {
    var node = document.createElement("div");
    node.className = "bubble " + who;
    node.dir = "auto";
    node.setAttribute("data-testid", "bubble-" + who);
    return node;
  }

  function makeLink(url, title) {
    var a = document.createElement("a");
    a.href = url;
    a.textContent = title;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    a.dir = "auto";
    return a;
  }

  // Only web, mail and phone links become clickable: never javascript: or data: URLs.
  function safeUrl(url) {
    return /^(https?:\/\/|mailto:|tel:)/i.test(String(url)) ? String(url) : null;
  }

  // Text with bare web addresses turned into links; everything else stays a text node.
  function appendText(parent, text) {
    var last = 0;
    var match;
    URL_RE.lastIndex = 0;
    while ((match = URL_RE.exec(text)) !== null) {
      var url = match[0].replace(/[.,;:!?)\]'’]+$/, "");
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      parent.appendChild(makeLink(url, url));
      last = match.index + url.length;
      URL_RE.lastIndex = last;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function addMine(text) {
    var node = bubble("me");
    node.textContent = text;
    return append(node);
  }

  function addBot(reply) {
    var node = bubble("bot");
    if (reply.language) { node.lang = reply.language; }
    var body = document.createElement("div");
    appendText(body, String(reply.text || ""));
    node.appendChild(body);

    var links = reply.links || [];
    if (links.length) {
      var list = document.createElement("ul");
      list.className = "links";
      links.forEach(function (link) {
        var item = document.createElement("li");
        var href = safeUrl(link.url);
        var title = String(link.title || link.url);
        item.appendChild(href ? makeLink(href, title) : document.createTextNode(title));
        list.appendChild(item);
      });
      node.appendChild(list);
    }

    if (reply.machine_translated) {
      var mark = document.createElement("small");
      mark.className = "mt";
      mark.setAttribute("data-ui", "mt");
      mark.setAttribute("data-testid", "machine-translated");
      mark.textContent = t("mt");
      node.appendChild(mark);
    }

    var buttons = reply.buttons || [];
    if (buttons.length) {
      var chips = document.createElement("div");
      chips.className = "chips";
      buttons.forEach(function (button) {
        var chip = document.createElement("button");
        chip.type = "button";
        chip.className = "chip";
        chip.dir = "auto";
        chip.disabled = busy;
        chip.textContent = String(button.label);
        chip.setAttribute("data-testid", "chip");
        chip.setAttribute("data-payload", String(button.payload));
        chip.addEventListener("click", function () {
          sendPayload(String(button.payload), String(button.label));
        });
        chips.appendChild(chip);
      });
      node.appendChild(chips);
    }
    return append(node);
  }

  function showTyping(on) {
    el.messages.setAttribute("aria-busy", on ? "true" : "false");
    if (on && !typing) {
      typing = document.createElement("div");
      typing.className = "typing";
      typing.setAttribute("aria-hidden", "true");
      typing.setAttribute("data-testid", "typing");
      for (var i = 0; i < 3; i++) { typing.appendChild(document.createElement("span")); }
      append(typing);
    } else if (!on && typing) {
      typing.parentNode.removeChild(typing);
      typing = null;
    }
  }

  function showError(key, retry) {
    el.errorText.setAttribute("data-ui", key);
    el.errorText.textContent = t(key);
    retryAction = retry;
    el.retry.hidden = !retry;
    el.error.hidden = false;
  }

  function hideError() {
    el.error.hidden = true;
    retryAction = null;
  }

  function setBusy(on) {
    busy = on;
    el.send.disabled = on;
    el.language.disabled = on;
    var chips = el.messages.querySelectorAll(".chip");
    for (var i = 0; i < chips.length; i++) { chips[i].disabled = on; }
  }

  // A chip or the send button that was disabled took the focus with it: put it somewhere
  // useful, without opening the on-screen keyboard on a phone.
  function restoreFocus() {
    var active = document.activeElement;
    if (active && active !== document.body) { return; }
    if (coarsePointer) { el.messages.focus(); } else { el.input.focus(); }
  }

  function autosize() {
    el.input.style.height = "auto";
    el.input.style.height = Math.min(el.input.scrollHeight, 144) + "px";
  }

  /* --- talking to the server ----------------------------------------------------------- */
  function requestJson(url, options) {
    return fetch(url, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) { throw { status: response.status, data: data }; }
        return data;
      });
    });
  }

  // Send one message. `echo` is shown as the person's bubble; done(ok, status) runs after.
  function post(fields, echo, done) {
    if (busy) { return; }
    fields.visitor = visitor;
    fields.lang = lang;
    var body = JSON.stringify(fields);
    if (new Blob([body]).size > config.maxBodyBytes) {
      done(false, 413);
      return;
    }
    hideError();
    setBusy(true);
    var mine = echo ? addMine(echo) : null;
    showTyping(true);
    requestJson(config.messageUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: body,
      credentials: "same-origin"
    }).then(function (data) {
      showTyping(false);
      setBusy(false);
      (data.replies || []).forEach(addBot);
      done(true, 200);
    }, function (problem) {
      showTyping(false);
      setBusy(false);
      if (mine) { mine.parentNode.removeChild(mine); }
      done(false, problem && problem.status);
    }).then(restoreFocus);
  }

  function sendText() {
    var text = el.input.value;
    if (busy || !text.trim()) { return; }
    var id = pendingText && pendingText.text === text ? pendingText.id : newId(20);
    pendingText = { text: text, id: id };
    el.input.value = "";
    autosize();
    post({ text: text, message_id: id }, text, function (ok, status) {
      if (ok) { pendingText = null; return; }
      // Nothing is lost: the text goes back, before anything typed while we waited.
      el.input.value = el.input.value ? text + "\n" + el.input.value : text;
      autosize();
      if (status === 413) { showError("tooLong", null); }
      else if (status === 429) { showError("tooFast", sendText); }
      else { showError("error", sendText); }
    });
  }

  function sendPayload(payload, label, id) {
    var messageId = id || newId(20);
    if (payload.indexOf("lang:") === 0) {
      applyLanguage(payload.slice(5));
      save(LANG_KEY, lang);
    }
    var fields = { payload: payload, text: label || "", message_id: messageId };
    post(fields, label, function (ok, status) {
      if (!ok) {
        showError(status === 429 ? "tooFast" : "error",
                  function () { sendPayload(payload, label, messageId); });
      }
    });
  }

  function loadHistory() {
    setBusy(true);
    var url = config.historyUrl + "?visitor=" + encodeURIComponent(visitor);
    return requestJson(url, { credentials: "same-origin" }).then(function (data) {
      return data.events || [];
    }, function () {
      return null; // history is a convenience: the chat works without it
    }).then(function (events) {
      setBusy(false);
      (events || []).forEach(function (event) {
        if (typeof event.id === "number" && event.id > lastEventId) { lastEventId = event.id; }
        if (event.direction === "in") {
          if (event.text) { addMine(String(event.text)); }
        } else {
          addBot(event);
        }
      });
      if (events && !events.length && config.startPayload) {
        sendPayload(config.startPayload, null);
      }
      schedulePoll();
    });
  }

  /* A coach's words and reminders arrive without a question: ask for them now and then. */
  var lastEventId = 0;
  var POLL_MS = 4000;
  function schedulePoll() {
    window.setTimeout(poll, POLL_MS);
  }
  function poll() {
    if (document.hidden) { schedulePoll(); return; }
    var url = config.historyUrl + "?visitor=" + encodeURIComponent(visitor) +
      "&after=" + lastEventId;
    requestJson(url, { credentials: "same-origin" }).then(function (data) {
      (data.events || []).forEach(function (event) {
        if (typeof event.id === "number" && event.id > lastEventId) { lastEventId = event.id; }
        addBot(event);
      });
    }, function () { /* offline for a moment: the next poll tries again */ }).then(schedulePoll);
  }

  /* --- wiring -------------------------------------------------------------------------- */
  el.form.addEventListener("submit", function (event) {
    event.preventDefault();
    sendText();
  });

  el.input.addEventListener("keydown", function (event) {
    // isComposing / 229: Enter that confirms an input-method composition must not send.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      sendText();
    }
  });
  el.input.addEventListener("input", autosize);

  // Keep the focus (and a phone's keyboard) in the text box when the send button is pressed.
  el.send.addEventListener("mousedown", function (event) { event.preventDefault(); });

  el.retry.addEventListener("click", function () {
    var action = retryAction;
    hideError();
    if (action) { action(); }
  });

  el.language.addEventListener("change", function () {
    var code = el.language.value;
    sendPayload("lang:" + code, config.languages[code]);
  });

  applyLanguage(load(LANG_KEY) || lang);
  loadHistory();
})();
