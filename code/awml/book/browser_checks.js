// What a reader sees on one page of the built book, evaluated in the browser by
// awml.book.browser once the page has loaded. Returns problems (one sentence each) and what
// the link and launch checks need: the page's ids, its links and its launch dropdown.
async (options) => {
  const problems = [];
  const deadline = Date.now() + options.timeoutMs;
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const snippet = (text) => text.replace(/\s+/g, " ").trim().slice(0, 60);
  const shown = (element) => !element.closest("details:not([open])");
  const drawn = (element) => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  };

  // Images: load the lazy ones now, then every <img> must have pixels.
  for (const image of document.images) {
    if (image.loading === "lazy") image.loading = "eager";
  }
  await Promise.all([...document.images].map((image) => image.decode().catch(() => null)));
  for (const image of document.images) {
    if (!image.complete || image.naturalWidth === 0) {
      problems.push(`image does not load: ${image.getAttribute("src")}`);
    }
  }

  // Math: every math node typeset by MathJax, without MathJax errors.
  const mathNodes = [...document.querySelectorAll(".math")];
  if (mathNodes.length > 0) {
    while (!(window.MathJax && window.MathJax.startup && window.MathJax.startup.promise)
           && Date.now() < deadline) {
      await sleep(100);
    }
    if (!(window.MathJax && window.MathJax.startup)) {
      problems.push(`MathJax did not start: ${mathNodes.length} math nodes left as TeX`);
    } else {
      await window.MathJax.startup.promise.catch(
        (error) => problems.push(`MathJax failed: ${error}`));
      for (const node of mathNodes) {
        if (!node.querySelector("mjx-container")) {
          problems.push(`math left unrendered: ${snippet(node.textContent)}`);
        } else if (node.querySelector("mjx-merror")) {
          problems.push(`math with a TeX error: ${snippet(node.textContent)}`);
        }
      }
    }
  }
  // TeX delimiters in the text of the page that no math node holds.
  const article = document.querySelector("article") || document.body;
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const parent = text.parentElement;
    if (parent.closest("pre, code, script, style, textarea, mjx-container, .math")) continue;
    if (/\\\(|\\\[|\$\$/.test(text.textContent)) {
      problems.push(`TeX left in the text: ${snippet(text.textContent)}`);
    }
  }

  // Widgets: each saved widget view is drawn by the embed manager just before its script.
  const views = [...document.querySelectorAll(
    'script[type="application/vnd.jupyter.widget-view+json"]')];
  const widgetDrawn = (view) => {
    const area = view.previousElementSibling;
    if (!area || !area.classList.contains("widget-subarea") || !area.firstElementChild) {
      return false;
    }
    return !shown(view) || drawn(area);
  };
  while (views.some((view) => !widgetDrawn(view)) && Date.now() < deadline) {
    await sleep(100);
  }
  views.filter((view) => !widgetDrawn(view)).forEach((view) => {
    const model = JSON.parse(view.textContent || "{}").model_id || "?";
    problems.push(`widget not drawn (model ${model})`);
  });

  // Cells tagged gpu carry their badge.
  document.querySelectorAll(".cell.tag_gpu").forEach((cell, index) => {
    const badge = cell.querySelector("div.awml-gpu-badge");
    if (!badge || !badge.textContent.trim() || (shown(badge) && !drawn(badge))) {
      problems.push(`gpu-tagged cell ${index + 1} shows no GPU badge`);
    }
  });

  // Fonts: none of those the page asked for failed.
  await document.fonts.ready;
  for (const font of document.fonts) {
    if (font.status === "error") problems.push(`font does not load: ${font.family}`);
  }

  const launch = document.querySelector(".dropdown-launch-buttons");
  return {
    problems,
    ids: [...document.querySelectorAll("[id]")].map((element) => element.id)
      .concat([...document.querySelectorAll("a[name]")].map((element) => element.name)),
    links: [...document.querySelectorAll("a[href]")]
      .map((anchor) => anchor.getAttribute("href"))
      .filter((href) => !/^(mailto|javascript|tel):/i.test(href))
      .map((href) => new URL(href, document.baseURI).href),
    notebook: document.querySelector("details.awml-environment") !== null,
    heading: (document.querySelector("article h1") || {textContent: ""}).textContent,
    launch: launch === null ? null : [...launch.querySelectorAll(".dropdown-menu a")]
      .map((anchor) => anchor.getAttribute("href") || ""),
  };
}
