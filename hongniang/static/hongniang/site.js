/* hongniang site.js: small progressive enhancements; every page works without it. No inline scripts (CSP).
   - table.data: copy each column's heading into its cells' data-label (site.css shows rows as labelled cards
     under 600 px)
   - [data-speak]: 读给我听 — read an element's text aloud with the browser's speech synthesis, shown only where
     the phone has a Chinese voice
   - [data-print]: print the page
   - form[data-confirm="问题"]: ask before sending (instead of an inline onsubmit)
   - select[data-autosubmit]: send the form when the choice changes (keep a submit button for no-JS)
   - [data-locate]: fill the form's lat / lon (and sort, from data-sort) from the phone's position and submit it
     (shown only where the browser can tell the position) */
(function () {
  "use strict";

  function labelTables(root) {
    (root || document).querySelectorAll("table.data").forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      if (!heads.length) return;
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        Array.prototype.forEach.call(tr.children, function (td, i) {
          if (td.tagName === "TD" && !td.hasAttribute("data-label") && heads[i] && !td.hasAttribute("colspan")) {
            td.setAttribute("data-label", heads[i]);
          }
        });
      });
    });
  }

  function chineseVoice() {
    if (!("speechSynthesis" in window)) return null;
    var voices = window.speechSynthesis.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      if (/^(zh|cmn)/i.test(voices[i].lang)) return voices[i];
    }
    return null;
  }

  function setUpSpeech() {
    var buttons = document.querySelectorAll("[data-speak]");
    if (!buttons.length || !("speechSynthesis" in window)) return;
    function offer() {
      var voice = chineseVoice();
      buttons.forEach(function (btn) {
        btn.hidden = !voice;
        if (!voice || btn.dataset.ready) return;
        btn.dataset.ready = "1";
        var label = btn.textContent;
        btn.addEventListener("click", function () {
          var synth = window.speechSynthesis;
          if (synth.speaking) {
            synth.cancel();
            btn.textContent = label;
            return;
          }
          var source = document.querySelector(btn.getAttribute("data-speak"));
          if (!source) return;
          var u = new SpeechSynthesisUtterance(source.textContent.trim());
          var voice = chineseVoice();
          try { u.voice = voice; } catch (e) { /* not a SpeechSynthesisVoice: the language alone picks one */ }
          u.lang = voice ? voice.lang : "zh-CN";
          u.rate = 0.9;
          u.onend = u.onerror = function () { btn.textContent = label; };
          btn.textContent = btn.getAttribute("data-stop") || label;
          synth.speak(u);
        });
      });
    }
    offer();
    if (typeof window.speechSynthesis.addEventListener === "function") {
      window.speechSynthesis.addEventListener("voiceschanged", offer);
    }
  }

  function setUpPrint() {
    document.querySelectorAll("[data-print]").forEach(function (btn) {
      btn.hidden = false;
      btn.addEventListener("click", function () { window.print(); });
    });
  }

  function setUpLocate() {
    if (!navigator.geolocation) return;
    document.querySelectorAll("[data-locate]").forEach(function (btn) {
      btn.hidden = false;
      btn.addEventListener("click", function () {
        var form = btn.form || btn.closest("form");
        navigator.geolocation.getCurrentPosition(function (p) {
          form.querySelector("[name=lat]").value = p.coords.latitude.toFixed(5);
          form.querySelector("[name=lon]").value = p.coords.longitude.toFixed(5);
          var sort = btn.getAttribute("data-sort") && form.querySelector("[name=sort]");
          if (sort) sort.value = btn.getAttribute("data-sort");
          form.submit();
        });
      });
    });
  }

  function setUpForms() {
    document.addEventListener("submit", function (e) {
      var q = e.target.getAttribute && e.target.getAttribute("data-confirm");
      if (q && !window.confirm(q)) e.preventDefault();
    }, true);
    document.addEventListener("change", function (e) {
      if (e.target.matches && e.target.matches("select[data-autosubmit]") && e.target.form) e.target.form.submit();
    });
  }

  function ready() {
    labelTables(document);
    setUpSpeech();
    setUpPrint();
    setUpLocate();
  }
  setUpForms();

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
  document.addEventListener("htmx:afterSwap", function (e) { labelTables(e.target); });
})();
