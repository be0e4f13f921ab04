// The cookie banner is in every page's HTML but hidden, so a page is the same for every
// resident and can be cached. Here, in the resident's own browser, it is shown until they
// have answered (the cookies_policy cookie). Without JavaScript no analytics cookie is ever
// set, so there is nothing to ask (the GOV.UK cookie banner guidance); the cookies page
// explains the essential ones.
(function () {
  "use strict";
  var banner = document.querySelector('[data-module="sp-cookie-banner"]');
  if (!banner) return;
  if (!/(?:^|;\s*)cookies_policy=/.test(document.cookie)) {
    banner.hidden = false;
  }
})();
