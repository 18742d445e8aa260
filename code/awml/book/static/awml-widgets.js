// Loaded before require.js and the ipywidgets embed manager on pages that show widgets.
// The manager's modules find their icon fonts beside their own address, which require.js
// derives from the module's name; this configuration (read by require.js when it loads)
// places every module the manager bundles in the site's copy of the manager, so the fonts
// come from the site, not from a CDN.
(() => {
  const manager = new URL("awml-assets/html-manager", document.currentScript.src).href;
  const paths = {"@jupyter-widgets/html-manager/dist": manager};
  for (const name of ["base", "controls", "output", "html-manager"]) {
    paths[`@jupyter-widgets/${name}`] = `${manager}/${name}`;
  }
  window.require = {paths};
  window.__jupyter_widgets_assets_path__ = manager + "/";
})();

// ipywidgets typesets widget labels with MathJax 2's MathJax.Hub.Queue; the site runs
// MathJax 3, so that call is answered with MathJax 3's typesetPromise (or nothing at all
// on a page without math, where only MathJax's configuration object exists).
document.addEventListener("DOMContentLoaded", () => {
  const mathjax = window.MathJax;
  if (mathjax === undefined || mathjax.Hub !== undefined) return;
  mathjax.Hub = {
    Queue: (command) => {
      if (!mathjax.startup || !mathjax.startup.promise) return;
      const element = Array.isArray(command) ? command[2] : undefined;
      mathjax.startup.promise.then(() => mathjax.typesetPromise(element ? [element] : undefined));
    },
  };
});
