// The playground page: two Telegram-like chat panes fed by server-sent events.
"use strict";

const RITUALS = {
  checkin: "🌙 Check-in",
  appreciation: "💌 Appreciation",
  date: "🗓️ Date idea",
  recap: "📖 Weekly recap",
};
const AVATAR_COLORS = ["#e17076", "#7bc862", "#65aadd", "#a695e7", "#ee7aae", "#6ec9cb", "#faa774"];
const ROLES = ["a", "b"];
const PHOTO_WIDTH = 420;
const STICKER_WIDTH = 180;

const state = {
  bot: { username: "", name: "" },
  session: null,
  people: {},
  commands: {},
  defaults: {},
  languages: {},
  zones: [],
  clock: { botMs: Date.now(), perfMs: performance.now(), next: null },
  panes: {}, // role -> {root, messages: Map(id -> view), list, ...}
};

const $ = (selector, root = document) => root.querySelector(selector);

// ---------------------------------------------------------------- server calls

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || `HTTP ${response.status}`);
  return data;
}

function connect() {
  const source = new EventSource("/api/events");
  source.onmessage = (message) => {
    try {
      handle(JSON.parse(message.data));
    } catch (error) {
      console.error(error);
    }
  };
  source.onerror = () => showStatus("Connection lost, reconnecting…", "warn", 2500);
}

// ---------------------------------------------------------------- events

function roleOfChat(chatId) {
  if (!state.session) return null;
  for (const role of ROLES) {
    if (state.session.people[role].user_id === chatId) return role;
  }
  return null;
}

function handle(event) {
  switch (event.type) {
    case "snapshot":
      Object.assign(state, {
        bot: event.bot,
        defaults: event.defaults,
        languages: event.languages,
        zones: event.zones,
        commands: event.commands || {},
      });
      setClock(event.clock);
      fillSetup();
      setSession(event.session, event.messages || {});
      setPeople(event.people);
      break;
    case "session":
      state.commands = event.commands || state.commands;
      setSession(event.session, {});
      break;
    case "message":
    case "edit": {
      const role = roleOfChat(event.message.chat_id);
      if (role) upsertMessage(role, event.message);
      break;
    }
    case "delete": {
      const role = roleOfChat(event.chat_id);
      if (role) removeMessage(role, event.id);
      break;
    }
    case "answered": {
      const role = roleOfChat(event.chat_id);
      if (!role) break;
      clearPending(role, event.id);
      if (event.text) event.alert ? paneAlert(role, event.text) : paneToast(role, event.text);
      break;
    }
    case "typing": {
      const role = roleOfChat(event.chat_id);
      if (role) showTyping(role);
      break;
    }
    case "people":
      if (event.commands) state.commands = event.commands;
      setPeople(event.people);
      break;
    case "clock":
      setClock(event.clock);
      break;
    case "error":
      showStatus(`⚠️ The bot logged an error: ${event.text} (details in the terminal)`, "error", 9000);
      break;
  }
}

// ---------------------------------------------------------------- clock

function botNow() {
  return state.clock.botMs + (performance.now() - state.clock.perfMs);
}

function setClock(clock) {
  state.clock = { botMs: clock.now_ms, perfMs: performance.now(), next: clock.next };
  renderClock();
}

function fmt(ms, options, zone, language) {
  try {
    return new Intl.DateTimeFormat(language || "en-GB", { timeZone: zone || "UTC", ...options }).format(ms);
  } catch (error) {
    return new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", ...options }).format(ms);
  }
}

function zoneOf(role) {
  return (state.people[role] && state.people[role].timezone) || "UTC";
}

function deviceZoneOf(role) {
  return (state.session && state.session.people[role].device_zone) || "UTC";
}

function languageOf(role) {
  const person = state.people[role];
  return (person && person.language) || (state.session && state.session.people[role].language) || "en";
}

function duration(ms) {
  const minutes = Math.max(0, Math.round(ms / 60000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days) return `${days}d ${hours}h`;
  if (hours) return `${hours}h ${mins}m`;
  return `${mins} min`;
}

function renderClock() {
  const now = botNow();
  $("#bot-date").textContent = fmt(now, { weekday: "short", day: "numeric", month: "short" });
  $("#clock").title = `The bot's clock: ${fmt(now, { dateStyle: "full", timeStyle: "long" })}`;
  $("#bot-time").textContent = fmt(now, { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
  const next = state.clock.next;
  const box = $("#next-ritual");
  if (next && state.session) {
    const role = next.role;
    const name = role ? state.session.people[role].name : "someone";
    const local = fmt(next.at_ms, { weekday: "short", hour: "2-digit", minute: "2-digit", hour12: false }, zoneOf(role));
    box.innerHTML = "";
    box.title = `${RITUALS[next.ritual] || next.ritual} for ${name} at ${local} (${zoneOf(role)})`;
    box.append(
      el("span", "next-label", "Next"),
      el("span", "next-what", `${RITUALS[next.ritual] || next.ritual} · ${name}`),
      el("span", "next-when", `${local} · in ${duration(next.at_ms - now)}`),
    );
  } else {
    box.textContent = state.session ? "No ritual scheduled yet: pair the two with /pair" : "";
  }
  for (const role of ROLES) renderPaneClock(role, now);
}

function cityOf(zone) {
  return (zone || "UTC").split("/").pop().replace(/_/g, " ");
}

// ---------------------------------------------------------------- people and panes

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function avatarColor(name, role) {
  let hash = role === "a" ? 0 : 3;
  for (const ch of name) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return AVATAR_COLORS[hash % AVATAR_COLORS.length];
}

function setSession(session, messages) {
  state.session = session;
  state.people = {}; // new people: what the bot knows about them arrives with "people" events
  const panes = $("#panes");
  for (const role of ROLES) {
    if (state.panes[role]) state.panes[role].root.remove();
    delete state.panes[role];
  }
  if (!session) {
    panes.hidden = true;
    openSetup(false);
    return;
  }
  closeSetup();
  panes.hidden = false;
  for (const role of ROLES) {
    state.panes[role] = buildPane(role, session.people[role]);
    for (const view of messages[role] || []) upsertMessage(role, view, false);
    scrollToBottom(role, true);
  }
  renderClock();
}

function buildPane(role, person) {
  const root = $("#pane-template").content.firstElementChild.cloneNode(true);
  root.id = `pane-${role}`;
  root.dataset.role = role;
  const avatar = $(".avatar", root);
  avatar.textContent = (person.name.trim()[0] || "?").toUpperCase();
  avatar.style.background = avatarColor(person.name, role);
  $(".who-name", root).textContent = person.name;
  $(".pane-role", root).textContent = role === "a" ? "Partner A" : "Partner B";
  const pane = {
    root,
    role,
    list: $(".messages", root),
    chat: $(".chat", root),
    messages: new Map(),
    typingUntil: 0,
    pinned: true,
  };
  pane.chat.addEventListener("scroll", () => (pane.pinned = nearBottom(role)));
  const form = $(".composer", root);
  const input = $(".input", root);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    sendText(role, input.value);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      sendText(role, input.value);
    }
  });
  input.addEventListener("input", () => autosize(input));
  $(".menu-btn", root).addEventListener("click", () => toggleMenu(role));
  pane.list.addEventListener("click", (event) => onChatClick(role, event));
  $("#panes").append(root);
  return pane;
}

function setPeople(people) {
  state.people = people || {};
  for (const role of ROLES) {
    const pane = state.panes[role];
    if (!pane) continue;
    const person = state.people[role];
    const lang = person && person.language ? state.languages[person.language] || person.language : "";
    pane.root.dataset.language = lang;
    updateDatePills(role); // in the language the person now reads
  }
  renderClock();
}

function renderPaneClock(role, now) {
  const pane = state.panes[role];
  if (!pane) return;
  const status = $(".who-status", pane.root);
  if (pane.typingUntil > performance.now()) {
    status.textContent = "typing…";
    status.classList.add("typing");
    return;
  }
  status.classList.remove("typing");
  const zone = zoneOf(role);
  const person = state.people[role] || {};
  const parts = [
    `${cityOf(zone)} ${fmt(now, { weekday: "short", hour: "2-digit", minute: "2-digit", hour12: false }, zone)}`,
  ];
  if (pane.root.dataset.language) parts.push(pane.root.dataset.language);
  parts.push(person.partner ? `paired with ${person.partner}` : "not paired yet");
  status.textContent = parts.join(" · ");
}

function showTyping(role) {
  const pane = state.panes[role];
  pane.typingUntil = performance.now() + 2500;
  renderPaneClock(role, botNow());
}

// ---------------------------------------------------------------- messages

function nearBottom(role) {
  const chat = state.panes[role].chat;
  return chat.scrollHeight - chat.scrollTop - chat.clientHeight < 60;
}

// A pane follows new messages while it is scrolled to the bottom ("pinned"), like Telegram.
function scrollToBottom(role, force) {
  const pane = state.panes[role];
  if (!pane || !(force || pane.pinned)) return;
  pane.chat.scrollTop = pane.chat.scrollHeight;
  pane.pinned = true;
}

function upsertMessage(role, view, scroll = true) {
  const pane = state.panes[role];
  const node = renderMessage(role, view);
  const old = pane.messages.get(view.id);
  if (old) {
    old.node.replaceWith(node);
  } else {
    let before = null;
    for (const [id, item] of pane.messages) {
      if (id > view.id && (!before || id < before.id)) before = { id, node: item.node };
    }
    pane.list.insertBefore(node, before ? before.node : null);
  }
  pane.messages.set(view.id, { view, node });
  pane.root.classList.add("has-messages");
  updateDatePills(role);
  if (scroll) scrollToBottom(role, !view.from_bot && !old);
}

function removeMessage(role, id) {
  const pane = state.panes[role];
  const item = pane.messages.get(id);
  if (!item) return;
  item.node.remove();
  pane.messages.delete(id);
  updateDatePills(role);
}

function updateDatePills(role) {
  const pane = state.panes[role];
  for (const pill of pane.list.querySelectorAll(".date-pill")) pill.remove();
  const zone = deviceZoneOf(role);
  let last = "";
  for (const node of pane.list.querySelectorAll(".msg")) {
    const ms = Number(node.dataset.time);
    const day = fmt(ms, { year: "numeric", month: "2-digit", day: "2-digit" }, zone);
    if (day !== last) {
      const label = fmt(ms, { weekday: "long", month: "long", day: "numeric" }, zone, languageOf(role));
      const pill = el("div", "date-pill");
      pill.append(el("span", "", label));
      node.before(pill);
      last = day;
    }
  }
}

function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function renderMedia(view, bubble) {
  const media = view.media;
  if (media.kind === "photo" || media.kind === "sticker") {
    const box = el("div", `media ${media.kind}`);
    const img = document.createElement("img");
    img.src = media.url;
    img.alt = media.kind === "photo" ? "photo" : media.emoji || "sticker";
    // Reserve the photo's size before it loads, so the chat does not jump (Telegram-like width).
    const widest = media.kind === "photo" ? PHOTO_WIDTH : STICKER_WIDTH;
    const width = Math.min(media.width || widest, widest);
    box.style.width = `${width}px`;
    if (media.width && media.height) box.style.aspectRatio = `${media.width} / ${media.height}`;
    img.addEventListener("load", () => scrollToBottom(roleOfChat(view.chat_id)));
    if (media.kind === "photo") img.addEventListener("click", () => openLightbox(media.url));
    box.append(img);
    bubble.append(box);
    return;
  }
  if (media.kind === "voice" || media.kind === "audio") {
    const audio = document.createElement("audio");
    audio.controls = true;
    audio.src = media.url;
    audio.className = "audio";
    bubble.append(audio);
    return;
  }
  const doc = el("a", "document");
  doc.href = media.url;
  doc.download = media.name || "file";
  const ext = ((media.name || "").split(".").pop() || "file").slice(0, 4).toUpperCase();
  const icon = el("span", "doc-icon", ext);
  const info = el("span", "doc-info");
  info.append(el("span", "doc-name", media.name || "file"), el("span", "doc-size", `${formatSize(media.size)} · ${media.mime}`));
  doc.append(icon, info);
  bubble.append(doc);
}

function renderMessage(role, view) {
  const node = el("div", `msg ${view.from_bot ? "in" : "out"}`);
  node.dataset.id = view.id;
  node.dataset.time = view.time;
  const bubble = el("div", "bubble");
  const hasText = Boolean(view.html && view.html.trim());
  if (view.media) {
    bubble.classList.add("has-media", `media-${view.media.kind}`);
    if (!hasText) bubble.classList.add("media-only");
    renderMedia(view, bubble);
  }
  const meta = el("span", "meta");
  if (view.edited) meta.append(el("span", "edited", "edited"));
  meta.append(el("span", "time", fmt(view.time, { hour: "2-digit", minute: "2-digit", hour12: false }, deviceZoneOf(role))));
  if (!view.from_bot) meta.append(el("span", "ticks", "✓✓"));
  if (hasText) {
    const text = el("div", "text");
    text.innerHTML = view.html; // sanitized on the server (bot/playground/sanitize.py)
    const spacer = el("span", `meta-spacer${view.edited ? " wide" : ""}${view.from_bot ? "" : " ticks"}`);
    text.append(spacer);
    bubble.append(text);
  }
  bubble.append(meta);
  node.append(bubble);
  if (view.buttons && view.buttons.length) node.append(renderKeyboard(role, view));
  return node;
}

function renderKeyboard(role, view) {
  const keyboard = el("div", "keyboard");
  view.buttons.forEach((row, r) => {
    const line = el("div", "kb-row");
    row.forEach((button, c) => {
      const b = el("button", `kb-btn ${button.kind}`);
      b.type = "button";
      b.append(el("span", "kb-label", button.text));
      if (button.kind === "url") b.append(el("span", "kb-corner", "↗"));
      b.addEventListener("click", (event) => {
        if (button.kind === "url") openLink(role, button.url, event.currentTarget);
        else if (button.kind === "callback") pressButton(role, view.id, r, c, b);
      });
      line.append(b);
    });
    keyboard.append(line);
  });
  return keyboard;
}

function clearPending(role, id) {
  const pane = state.panes[role];
  const item = id != null && pane.messages.get(id);
  const scope = item ? item.node : pane.list;
  for (const b of scope.querySelectorAll(".kb-btn.pending")) b.classList.remove("pending");
}

// ---------------------------------------------------------------- actions

async function sendText(role, text) {
  const pane = state.panes[role];
  const input = $(".input", pane.root);
  if (!text.trim()) return;
  input.value = "";
  autosize(input);
  closeMenu(role);
  try {
    await post("/api/send", { who: role, text });
  } catch (error) {
    input.value = text;
    paneToast(role, error.message);
  }
}

async function pressButton(role, messageId, row, col, button) {
  button.classList.add("pending");
  setTimeout(() => button.classList.remove("pending"), 6000);
  try {
    await post("/api/press", { who: role, message_id: messageId, row, col });
  } catch (error) {
    button.classList.remove("pending");
    paneToast(role, error.message);
  }
}

function autosize(input) {
  input.style.height = "auto";
  input.style.height = `${Math.min(input.scrollHeight, 140)}px`;
}

function deepLinkCode(href) {
  try {
    const url = new URL(href);
    if (url.hostname !== "t.me" && url.hostname !== "telegram.me") return null;
    if (url.pathname.replace(/^\//, "").toLowerCase() !== state.bot.username.toLowerCase()) return null;
    return { start: url.searchParams.get("start") };
  } catch (error) {
    return null;
  }
}

function onChatClick(role, event) {
  const link = event.target.closest("a");
  if (!link) return;
  if (link.classList.contains("cmd")) {
    event.preventDefault();
    sendText(role, link.dataset.command);
    return;
  }
  if (link.classList.contains("document")) return;
  if (deepLinkCode(link.href)) {
    event.preventDefault();
    openLink(role, link.href, link);
  }
}

function openLink(role, href, anchor) {
  const deep = deepLinkCode(href);
  if (!deep) {
    window.open(href, "_blank", "noopener");
    return;
  }
  const other = role === "a" ? "b" : "a";
  const menu = $("#link-menu");
  menu.innerHTML = "";
  menu.append(el("div", "popover-title", `Open t.me/${state.bot.username}${deep.start ? " with an invite" : ""}`));
  const command = deep.start ? `/start ${deep.start}` : "/start";
  for (const who of [other, role]) {
    const name = state.session.people[who].name;
    const b = el("button", `popover-item${who === other ? " primary" : ""}`, `Open as ${name}`);
    b.type = "button";
    b.addEventListener("click", () => {
      closePopover();
      sendText(who, command);
    });
    menu.append(b);
  }
  const copy = el("button", "popover-item", "Copy link");
  copy.type = "button";
  copy.addEventListener("click", () => {
    navigator.clipboard?.writeText(href).catch(() => {});
    closePopover();
  });
  menu.append(copy);
  menu.hidden = false;
  const rect = anchor.getBoundingClientRect();
  const width = menu.offsetWidth;
  menu.style.left = `${Math.max(8, Math.min(rect.left, window.innerWidth - width - 8))}px`;
  menu.style.top = `${Math.min(rect.bottom + 6, window.innerHeight - menu.offsetHeight - 8)}px`;
}

function closePopover() {
  $("#link-menu").hidden = true;
}

function toggleMenu(role) {
  const pane = state.panes[role];
  const list = $(".menu-list", pane.root);
  if (!list.hidden) {
    list.hidden = true;
    return;
  }
  list.innerHTML = "";
  for (const command of state.commands[role] || []) {
    const item = el("button", "menu-item");
    item.type = "button";
    item.append(el("span", "menu-cmd", `/${command.command}`), el("span", "menu-desc", command.description));
    item.addEventListener("click", () => sendText(role, `/${command.command}`));
    list.append(item);
  }
  if (!list.childElementCount) list.append(el("div", "menu-desc", "The bot has not set any commands."));
  list.hidden = false;
}

function closeMenu(role) {
  const list = $(".menu-list", state.panes[role].root);
  list.hidden = true;
}

// ---------------------------------------------------------------- toasts and overlays

function paneToast(role, text) {
  const pane = state.panes[role];
  const toast = $(".toast", pane.root);
  toast.textContent = text;
  toast.hidden = false;
  clearTimeout(pane.toastTimer);
  pane.toastTimer = setTimeout(() => (toast.hidden = true), 3000);
}

function paneAlert(role, text) {
  const pane = state.panes[role];
  const box = el("div", "alert");
  const card = el("div", "alert-card");
  const ok = el("button", "alert-ok", "OK");
  ok.type = "button";
  ok.addEventListener("click", () => box.remove());
  card.append(el("div", "alert-text", text), ok);
  box.append(card);
  pane.root.append(box);
}

function showStatus(text, kind = "info", ms = 4000) {
  const status = $("#status");
  status.textContent = text;
  status.className = `status show ${kind}`;
  clearTimeout(showStatus.timer);
  showStatus.timer = setTimeout(() => (status.className = "status"), ms);
}

function openLightbox(url) {
  const box = $("#lightbox");
  $("img", box).src = url;
  box.hidden = false;
}

// ---------------------------------------------------------------- clock controls

async function clockAction(body, button) {
  button.disabled = true;
  try {
    const result = await post("/api/clock", body);
    setClock(result.clock);
    const when = fmt(result.clock.now_ms, { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hour12: false });
    let text;
    if (body.action === "next") {
      const who = result.role && state.session ? state.session.people[result.role].name : "";
      text = `Jumped to ${when} UTC: ${RITUALS[result.ritual] || result.ritual}${who ? ` for ${who}` : ""}`;
    } else {
      text = `Now ${when} UTC`;
      if (result.missed) text += ` · ${result.missed} ritual prompt(s) skipped as missed (more than 2 h late)`;
    }
    if (result.sent) text += ` · ${result.sent} prompt(s) sent`;
    showStatus(text, "info");
  } catch (error) {
    showStatus(error.message, "warn");
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------- setup form

function fillSetup() {
  const form = $("#setup-form");
  const params = new URLSearchParams(location.search);
  for (const role of ROLES) {
    const defaults = state.defaults[role] || {};
    const select = form.elements[`${role}_lang`];
    select.innerHTML = "";
    for (const [code, name] of Object.entries(state.languages)) select.append(new Option(`${name} (${code})`, code));
    form.elements[`${role}_name`].value = params.get(`${role}_name`) || defaults.name || "";
    select.value = params.get(`${role}_lang`) || defaults.language || "en";
    form.elements[`${role}_tz`].value = params.get(`${role}_tz`) || defaults.timezone || "UTC";
  }
  const zones = $("#zones");
  zones.innerHTML = "";
  for (const zone of state.zones) zones.append(new Option(zone, zone));
}

function openSetup(cancellable) {
  $("#setup").hidden = false;
  $("#setup-cancel").hidden = !cancellable;
  const params = new URLSearchParams(location.search);
  if (!cancellable && params.get("go") === "1" && !openSetup.autostarted) {
    openSetup.autostarted = true;
    submitSetup();
  }
}

function closeSetup() {
  $("#setup").hidden = true;
}

async function submitSetup() {
  const form = $("#setup-form");
  const person = (role) => ({
    name: form.elements[`${role}_name`].value,
    language: form.elements[`${role}_lang`].value,
    timezone: form.elements[`${role}_tz`].value,
  });
  try {
    await post("/api/session", { a: person("a"), b: person("b") });
  } catch (error) {
    showStatus(error.message, "warn");
  }
}

// ---------------------------------------------------------------- start

document.addEventListener("DOMContentLoaded", () => {
  $("#setup-form").addEventListener("submit", (event) => {
    event.preventDefault();
    submitSetup();
  });
  $("#setup-cancel").addEventListener("click", closeSetup);
  $("#new-couple").addEventListener("click", () => openSetup(Boolean(state.session)));
  $("#skip-next").addEventListener("click", (event) => clockAction({ action: "next" }, event.currentTarget));
  $("#plus-day").addEventListener("click", (event) => clockAction({ action: "advance", hours: 24 }, event.currentTarget));
  $("#lightbox").addEventListener("click", () => ($("#lightbox").hidden = true));
  document.addEventListener("click", (event) => {
    if (!event.target.closest("#link-menu, a, .kb-btn")) closePopover();
    if (!event.target.closest(".menu-list, .menu-btn")) {
      for (const role of ROLES) if (state.panes[role]) closeMenu(role);
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      closePopover();
      $("#lightbox").hidden = true;
    }
  });
  setInterval(renderClock, 1000);
  connect();
});
