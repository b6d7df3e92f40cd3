// Starts the GOV.UK Frontend components on every page.
import { initAll } from '/static/govuk/govuk-frontend.min.js';
initAll();
