// Whether a live page is live: "实时" once its feed's first message is in, "重连中" while
// the feed is lost (the browser reconnects by itself). The words are in the page (Babel);
// CSS shows the one that holds.
(function () {
  const body = document.body;
  body.addEventListener('htmx:sseMessage', function () { body.dataset.feed = 'on'; });
  body.addEventListener('htmx:sseError', function () { body.dataset.feed = 'lost'; });
})();
