// The Bootstrap rules Maklumat's pages use: `make css` runs this over the full bootstrap.min.css
// of django-bootstrap-static and writes static/css/bootstrap.purged.min.css (committed).
// Content = every place a class name can come from: our templates and Python (form widget
// attrs, view context such as button_class), and crispy-forms' Bootstrap 5 pack, which renders
// the form fields, errors and help texts.
const path = require("node:path");

const root = path.resolve(__dirname, "../..");
const sitePackages = process.env.SITE_PACKAGES;
if (!sitePackages) {
  throw new Error("SITE_PACKAGES must name the virtualenv's site-packages (make css sets it)");
}

module.exports = {
  css: [path.join(sitePackages, "bootstrap/static/bootstrap/css/bootstrap.min.css")],
  content: [
    path.join(root, "templates/**/*.html"),
    path.join(root, "{charters,feedback,dashboard,monitoring,charter_site,demo}/**/*.py"),
    path.join(sitePackages, "crispy_bootstrap5/**/*.{html,py}"),
    path.join(sitePackages, "crispy_forms/**/*.{html,py}"),
  ],
  output: path.join(root, "static/css/bootstrap.purged.min.css"),
  // Every --bs-* custom property stays (variables: false): site.css and inline styles use them,
  // and PurgeCSS would judge them by bootstrap.min.css alone. They cost under 1 KB gzipped.
  variables: false,
  keyframes: true,
  fontFace: true,
  safelist: {
    // Built in templates from data: alert-{{ message.tags }}, text-bg-… chosen by status.
    standard: [/^alert-(primary|secondary|success|info|warning|danger|light|dark)$/, /^text-bg-/],
  },
};
