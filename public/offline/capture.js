/*
 * Parley's offline capture shell (served by public/sw.js in place of a session's live room, capture
 * screen or notes page when the network fails). Plain JavaScript, no build step, no dependency.
 *
 * - Says the person is offline, lists their notes waiting in the outbox for this session and lets
 *   them write a new one into it (kind and text; no themes).
 * - Who writes and on which agenda item come from localStorage "parley:capture:<sessionId>" =
 *   {"userId": ..., "itemId": ...}, written by the live page while online (app/notes/README.md).
 *   Without it the shell cannot know who is signed in on a shared phone, so it writes nothing and
 *   shows no one's text: a note is only ever sent with its own writer's credentials.
 * - Checks the server every 5 s (/healthz) and when the browser says it is online; once the server
 *   answers it reloads, and the real page sends the outbox.
 *
 * The outbox schema is app/notes/outbox-schema.ts: database "parley-outbox", version 1, store "notes"
 * (keyPath "clientId", index "byUser" on "userId"). Keep these constants identical.
 */
(function () {
  "use strict";

  var DB_NAME = "parley-outbox";
  var DB_VERSION = 1;
  var STORE = "notes";
  var USER_INDEX = "byUser";
  var MAX_CHARS = 1000;
  var CHECK_EVERY_MS = 5000;
  var KINDS = ["point", "proposal", "question", "concern"];

  var STRINGS = {
    en: {
      docTitle: "Offline · Parley",
      title: "You are offline",
      offline: "No connection to the server. Trying again every few seconds.",
      online: "The connection is back. Opening the page…",
      explain: "Notes you write here stay on this phone and are sent as soon as the connection returns. Keep this page open: it reloads by itself.",
      writeHeading: "Write a note",
      itemHint: "It will be attached to the agenda item that was under way when you were last connected.",
      kindLabel: "Kind of note",
      "kind.point": "Point",
      "kind.proposal": "Proposal",
      "kind.question": "Question",
      "kind.concern": "Concern",
      textLabel: "Your note",
      counter: "{n} of {max} characters",
      keep: "Keep this note on the phone",
      kept: "Note kept on this phone. It will be sent when the connection returns.",
      empty: "Write your note first.",
      tooLong: "This note is too long: {max} characters at most.",
      outboxHeading: "Waiting to be sent",
      outboxEmpty: "No note of yours is waiting on this phone.",
      pending: "Waiting",
      refused: "Refused",
      retry: "Try to reconnect now",
      noPointer: "This phone does not know yet who is taking part here. Open the live room once while connected; after that, notes can be kept on the phone when the network drops.",
      noItem: "No agenda item was under way when you were last connected, so a note cannot be attached to one yet.",
      waitingCount: "Notes waiting on this phone: {n}.",
      noStorage: "This browser cannot keep notes on the phone. Write your note on paper, or wait for the connection.",
      saveFailed: "The note could not be kept on this phone. Copy your text somewhere safe.",
      "error.generic": "The server refused this note. Copy the text and give it to the rapporteur.",
      "error.session_finalised": "The session was finalised before this note could be sent. Copy the text and give it to the rapporteur.",
      "error.session_not_live": "The live room was not open.",
      "error.item_not_found": "Its agenda item no longer exists.",
      "error.item_not_started": "Its agenda item had not started.",
      "error.note_too_long": "The note is too long.",
      "error.note_empty": "The note is empty.",
      "error.forbidden": "You may not write notes in this session.",
    },
    fr: {
      docTitle: "Hors ligne · Parley",
      title: "Vous êtes hors ligne",
      offline: "Pas de connexion au serveur. Nouvel essai toutes les quelques secondes.",
      online: "La connexion est revenue. Ouverture de la page…",
      explain: "Les notes écrites ici restent sur ce téléphone et partent dès que la connexion revient. Gardez cette page ouverte\u00a0: elle se recharge d'elle-même.",
      writeHeading: "Écrire une note",
      itemHint: "Elle sera rattachée au point de l'ordre du jour en cours lors de votre dernière connexion.",
      kindLabel: "Type de note",
      "kind.point": "Point",
      "kind.proposal": "Proposition",
      "kind.question": "Question",
      "kind.concern": "Préoccupation",
      textLabel: "Votre note",
      counter: "{n} caractères sur {max}",
      keep: "Garder cette note sur le téléphone",
      kept: "Note gardée sur ce téléphone. Elle partira quand la connexion reviendra.",
      empty: "Écrivez d'abord votre note.",
      tooLong: "Cette note est trop longue\u00a0: {max} caractères au plus.",
      outboxHeading: "En attente d'envoi",
      outboxEmpty: "Aucune de vos notes n'attend sur ce téléphone.",
      pending: "En attente",
      refused: "Refusée",
      retry: "Réessayer maintenant",
      noPointer: "Ce téléphone ne sait pas encore qui participe ici. Ouvrez une fois la salle en direct avec une connexion\u00a0; ensuite, les notes pourront être gardées sur le téléphone quand le réseau coupe.",
      noItem: "Aucun point de l'ordre du jour n'était en cours lors de votre dernière connexion\u00a0: une note ne peut pas encore y être rattachée.",
      waitingCount: "Notes en attente sur ce téléphone\u00a0: {n}.",
      noStorage: "Ce navigateur ne peut pas garder de notes sur le téléphone. Notez sur papier, ou attendez la connexion.",
      saveFailed: "La note n'a pas pu être gardée sur ce téléphone. Copiez votre texte en lieu sûr.",
      "error.generic": "Le serveur a refusé cette note. Copiez le texte et remettez-le au rapporteur.",
      "error.session_finalised": "La séance a été clôturée définitivement avant l'envoi de cette note. Copiez le texte et remettez-le au rapporteur.",
      "error.session_not_live": "La salle en direct n'était pas ouverte.",
      "error.item_not_found": "Son point de l'ordre du jour n'existe plus.",
      "error.item_not_started": "Son point de l'ordre du jour n'avait pas commencé.",
      "error.note_too_long": "La note est trop longue.",
      "error.note_empty": "La note est vide.",
      "error.forbidden": "Vous ne pouvez pas écrire de notes dans cette séance.",
    },
  };

  // ---- Language: the person's choice (cookie parley_lang), else the browser's ----

  function readCookie(name) {
    var parts = document.cookie ? document.cookie.split(";") : [];
    for (var i = 0; i < parts.length; i++) {
      var kv = parts[i].trim().split("=");
      if (kv[0] === name) return decodeURIComponent(kv.slice(1).join("="));
    }
    return null;
  }

  function pickLanguage() {
    var chosen = readCookie("parley_lang");
    if (chosen === "fr" || chosen === "en") return chosen;
    var langs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || "en"];
    for (var i = 0; i < langs.length; i++) {
      var base = String(langs[i]).toLowerCase().split("-")[0];
      if (base === "fr" || base === "en") return base;
    }
    return "en";
  }

  var lang = pickLanguage();
  function t(key, values) {
    var text = STRINGS[lang][key] || STRINGS.en[key] || key;
    if (values) for (var k in values) text = text.split("{" + k + "}").join(String(values[k]));
    return text;
  }

  // ---- Who and where ----

  var match = /^\/sessions\/([^/]+)\//.exec(location.pathname);
  var sessionId = match ? decodeURIComponent(match[1]) : null;

  function readPointer() {
    if (!sessionId) return null;
    try {
      var raw = window.localStorage.getItem("parley:capture:" + sessionId);
      if (!raw) return null;
      var value = JSON.parse(raw);
      if (!value || typeof value.userId !== "string" || !value.userId) return null;
      return { userId: value.userId, itemId: typeof value.itemId === "string" && value.itemId ? value.itemId : null };
    } catch {
      return null;
    }
  }

  /** 32 lowercase hex characters from crypto.getRandomValues (no secure context needed). */
  function newClientId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    var out = "";
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return out;
  }

  /** Characters as people count them: code points of the NFC form. */
  function countChars(text) {
    var normal = text.normalize ? text.normalize("NFC") : text;
    return Array.from(normal).length;
  }

  // ---- The outbox (IndexedDB) ----

  function openOutbox() {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) return reject(new Error("indexeddb_unavailable"));
      var request;
      try {
        request = window.indexedDB.open(DB_NAME, DB_VERSION);
      } catch (e) {
        return reject(e);
      }
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains(STORE)) {
          var store = db.createObjectStore(STORE, { keyPath: "clientId" });
          store.createIndex(USER_INDEX, "userId", { unique: false });
        }
      };
      request.onsuccess = function () {
        var db = request.result;
        db.onversionchange = function () {
          db.close();
        };
        resolve(db);
      };
      request.onerror = function () {
        reject(request.error || new Error("indexeddb_open_failed"));
      };
      request.onblocked = function () {
        reject(new Error("indexeddb_blocked"));
      };
    });
  }

  function allRecords(db) {
    return new Promise(function (resolve, reject) {
      var request = db.transaction(STORE, "readonly").objectStore(STORE).getAll();
      request.onsuccess = function () {
        resolve(request.result || []);
      };
      request.onerror = function () {
        reject(request.error);
      };
    });
  }

  function putRecord(db, record) {
    return new Promise(function (resolve, reject) {
      var tx = db.transaction(STORE, "readwrite");
      tx.objectStore(STORE).put(record);
      tx.oncomplete = function () {
        resolve();
      };
      tx.onerror = function () {
        reject(tx.error);
      };
      tx.onabort = function () {
        reject(tx.error);
      };
    });
  }

  // ---- The page ----

  var $ = function (id) {
    return document.getElementById(id);
  };
  var pointer = readPointer();
  var outbox = null;

  function translatePage() {
    document.documentElement.lang = lang;
    document.title = t("docTitle");
    var nodes = document.querySelectorAll("[data-t]");
    for (var i = 0; i < nodes.length; i++) nodes[i].textContent = t(nodes[i].getAttribute("data-t"));
  }

  function updateCounter() {
    $("counter").textContent = t("counter", { n: countChars($("text").value), max: MAX_CHARS });
  }

  function renderList(records) {
    var list = $("outbox-list");
    while (list.firstChild) list.removeChild(list.firstChild);
    var ownRecords = [];
    var waiting = 0;
    for (var i = 0; i < records.length; i++) {
      var r = records[i];
      if (r.sessionId !== sessionId) continue;
      waiting++;
      if (pointer && r.userId === pointer.userId) ownRecords.push(r);
    }
    ownRecords.sort(function (a, b) {
      return (a.createdAt || 0) - (b.createdAt || 0);
    });
    for (var j = 0; j < ownRecords.length; j++) {
      var rec = ownRecords[j];
      var li = document.createElement("li");
      var meta = document.createElement("p");
      var state = document.createElement("span");
      state.className = "badge " + (rec.state === "refused" ? "refused" : "pending");
      state.textContent = rec.state === "refused" ? t("refused") : t("pending");
      var kind = document.createElement("span");
      kind.className = "badge";
      kind.textContent = KINDS.indexOf(rec.kind) >= 0 ? t("kind." + rec.kind) : String(rec.kind);
      meta.appendChild(state);
      meta.appendChild(kind);
      var text = document.createElement("p");
      text.className = "note-text";
      text.setAttribute("dir", "auto");
      text.textContent = String(rec.text);
      li.appendChild(meta);
      li.appendChild(text);
      if (rec.state === "refused") {
        var why = document.createElement("p");
        why.className = "error";
        var key = "error." + (rec.error || "generic");
        why.textContent = STRINGS.en[key] ? t(key) : t("error.generic");
        li.appendChild(why);
      }
      list.appendChild(li);
    }
    // Without knowing who is signed in, say how many notes wait, never whose or what.
    $("outbox-empty").hidden = ownRecords.length > 0;
    $("outbox-empty").textContent = pointer || waiting === 0 ? t("outboxEmpty") : t("waitingCount", { n: waiting });
  }

  function refreshList() {
    if (!outbox) return Promise.resolve();
    return allRecords(outbox).then(renderList, function () {
      renderList([]);
    });
  }

  function cannotWrite(message) {
    $("write").hidden = true;
    $("cannot-write").hidden = false;
    $("cannot-write-text").textContent = message;
  }

  function setupForm() {
    if (!sessionId || !pointer) return cannotWrite(t("noPointer"));
    if (!pointer.itemId) return cannotWrite(t("noItem"));
    if (!outbox) return cannotWrite(t("noStorage"));
    $("write").hidden = false;
    var text = $("text");
    text.addEventListener("input", function () {
      updateCounter();
      $("text-error").textContent = "";
      text.removeAttribute("aria-invalid");
    });
    updateCounter();
    $("note-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var value = text.value.replace(/\r\n?/g, "\n").trim();
      var problem = value.length === 0 ? t("empty") : countChars(value) > MAX_CHARS ? t("tooLong", { max: MAX_CHARS }) : null;
      if (problem) {
        $("text-error").textContent = problem;
        text.setAttribute("aria-invalid", "true");
        text.focus();
        return;
      }
      var kind = $("kind").value;
      var record = {
        clientId: newClientId(),
        userId: pointer.userId,
        sessionId: sessionId,
        itemId: pointer.itemId,
        kind: KINDS.indexOf(kind) >= 0 ? kind : "point",
        themeIds: [],
        text: value,
        createdAt: Date.now(),
        state: "pending",
      };
      putRecord(outbox, record).then(
        function () {
          text.value = "";
          updateCounter();
          $("kept").hidden = false;
          $("kept").textContent = t("kept");
          return refreshList();
        },
        function () {
          $("text-error").textContent = t("saveFailed");
        },
      );
    });
  }

  // ---- Coming back ----

  var reloading = false;
  var checking = false;

  function checkServer() {
    if (reloading || checking) return;
    checking = true;
    fetch("/healthz", { cache: "no-store", credentials: "same-origin" })
      .then(function (res) {
        if (!res.ok) return;
        reloading = true;
        var status = $("connection");
        status.textContent = t("online");
        status.className = "status online";
        location.reload();
      })
      .catch(function () {
        /* still offline */
      })
      .then(function () {
        checking = false;
      });
  }

  function start() {
    translatePage();
    $("retry").addEventListener("click", checkServer);
    window.addEventListener("online", checkServer);
    setInterval(checkServer, CHECK_EVERY_MS);
    openOutbox()
      .then(function (db) {
        outbox = db;
      })
      .catch(function () {
        outbox = null;
      })
      .then(function () {
        setupForm();
        return refreshList();
      });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
