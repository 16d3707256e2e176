/* QR scanning with the phone camera for the door and the booths. Progressive: typing the 6-character code always
   works; this only fills the field and submits the form. Uses the browser's BarcodeDetector when present, else the
   vendored jsQR (Apache-2.0, static/events/jsQR.js), loaded only when the camera starts. */
(function () {
  "use strict";
  var CODE = /^[A-HJKMNP-Z2-9]{6}$/;
  function codeOf(text) {
    var t = String(text || "").trim().toUpperCase();
    var m = t.match(/[A-HJKMNP-Z2-9]{6}$/);
    return CODE.test(t) ? t : (m ? m[0] : null);
  }
  function loadJsQR(src, done) {
    if (window.jsQR) { done(); return; }
    var s = document.createElement("script");
    s.src = src; s.onload = done; s.onerror = function () { done(new Error("jsQR")); };
    document.head.appendChild(s);
  }
  function start(btn) {
    var form = document.getElementById(btn.getAttribute("data-form"));
    var input = form && form.querySelector("[name=code]");
    var video = document.getElementById(btn.getAttribute("data-video"));
    var status = document.getElementById(btn.getAttribute("data-status"));
    if (!form || !input || !video) return;
    var say = function (t) { if (status) status.textContent = t; };
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (stream) {
      video.srcObject = stream; video.classList.remove("ev-hidden"); video.setAttribute("playsinline", "");
      video.play(); btn.disabled = true; say("请把二维码对准取景框");
      var canvas = document.createElement("canvas"), ctx = canvas.getContext("2d", { willReadFrequently: true });
      var detector = ("BarcodeDetector" in window) ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
      var stop = function () { stream.getTracks().forEach(function (t) { t.stop(); }); video.classList.add("ev-hidden"); btn.disabled = false; };
      var found = function (text) {
        var code = codeOf(text);
        if (!code) return false;
        stop(); input.value = code; say("已识别：" + code); form.submit(); return true;
      };
      var tick = function () {
        if (video.readyState < 2) { setTimeout(tick, 200); return; }
        if (detector) {
          detector.detect(video).then(function (codes) {
            if (!(codes.length && found(codes[0].rawValue))) setTimeout(tick, 250);
          }).catch(function () { detector = null; setTimeout(tick, 250); });
          return;
        }
        canvas.width = video.videoWidth; canvas.height = video.videoHeight;
        ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
        var img = ctx.getImageData(0, 0, canvas.width, canvas.height);
        var hit = window.jsQR && window.jsQR(img.data, img.width, img.height, { inversionAttempts: "dontInvert" });
        if (!(hit && found(hit.data))) setTimeout(tick, 250);
      };
      if (detector) { tick(); } else {
        loadJsQR(btn.getAttribute("data-jsqr"), function (err) {
          if (err) { stop(); say("无法加载扫码组件，请直接输入签到码"); return; }
          tick();
        });
      }
    }).catch(function () { say("无法打开摄像头，请直接输入签到码"); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll("[data-scan]");
    for (var i = 0; i < buttons.length; i++) {
      var btn = buttons[i];
      if (!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)) continue;
      btn.classList.remove("ev-hidden");
      btn.addEventListener("click", function (e) { start(e.currentTarget); });
    }
  });
})();
