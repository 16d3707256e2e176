/* The live counter: polls the session's counts (one cached read on the server) every few seconds while the page
   is visible, updates each posting's sign-up count and the posting on air. The page works without it. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("live");
    if (!root || !window.fetch) return;
    var url = root.getAttribute("data-counter");
    var every = Math.max(2000, Math.min(5000, parseInt(root.getAttribute("data-interval"), 10) || 4000));
    var timer = null;
    function apply(data) {
      var counts = data.counts || {};
      var nodes = root.querySelectorAll("[data-count]");
      for (var i = 0; i < nodes.length; i++) {
        var id = nodes[i].getAttribute("data-count");
        var n = String(counts[id] || 0);
        if (nodes[i].textContent !== n) nodes[i].textContent = n;
      }
      var cards = root.querySelectorAll("[data-posting]");
      for (var j = 0; j < cards.length; j++) {
        var on = String(data.current) === cards[j].getAttribute("data-posting");
        cards[j].classList.toggle("ev-current", on);
        var badge = cards[j].querySelector(".ev-now");
        if (badge) badge.classList.toggle("ev-hidden", !on);
      }
      if (data.status === "ended" || data.status === "cancelled") stop();
    }
    function poll() {
      if (document.hidden) return;
      fetch(url, { credentials: "omit", cache: "no-store" }).then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data) apply(data); }).catch(function () {});
    }
    function start() { if (!timer) timer = setInterval(poll, every); }
    function stop() { if (timer) { clearInterval(timer); timer = null; } }
    if (root.getAttribute("data-status") === "ended") return;
    start();
    document.addEventListener("visibilitychange", function () { if (!document.hidden) poll(); });
  });
})();
