// Start the design system's components (error summary focus, etc.).
import { initAll } from "/static/vendor/govuk-frontend.min.js";
document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
