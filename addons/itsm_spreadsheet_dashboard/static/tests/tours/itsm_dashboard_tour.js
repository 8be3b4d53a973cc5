/** @odoo-module **/

import { registry } from "@web/core/registry";

// Clickable cells are overlays the dashboard lays only on links and on pivot and list cells whose
// value is loaded and not empty; the section titles are links, the figures are the cells below them.
function figureCells() {
    return [...document.querySelectorAll(".o_spreadsheet_dashboard_action .o-dashboard-clickable-cell")]
        .map((el) => ({ el, top: parseFloat(el.style.top), left: parseFloat(el.style.left) }))
        .filter((cell) => cell.top > 60)
        .sort((a, b) => a.top - b.top || a.left - b.left);
}

registry.category("web_tour.tours").add("itsm_dashboard_shows_data", {
    steps: () => [
        {
            content: "The dashboard is drawn from the live data, not the sample",
            trigger: ".o_spreadsheet_dashboard_action .o_renderer:not(.o-sample-dashboard) .o-grid",
        },
        {
            content: "Its charts are drawn",
            trigger: ".o_spreadsheet_dashboard_action .o-figure canvas",
        },
        {
            content: "Its figures are loaded: several cells hold a value that opens its records",
            trigger: ".o_spreadsheet_dashboard_action .o-dashboard-clickable-cell",
            async run() {
                // the sources load one after the other: wait for them
                for (let wait = 0; wait < 40 && figureCells().length < 5; wait++) {
                    await new Promise((resolve) => setTimeout(resolve, 200));
                }
                const count = figureCells().length;
                if (count < 5) {
                    throw new Error(`only ${count} figures hold a value`);
                }
            },
        },
        {
            content: "The first figure opens the records behind it",
            trigger: ".o_spreadsheet_dashboard_action .o-dashboard-clickable-cell",
            run() {
                figureCells()[0].el.click();
            },
        },
        {
            content: "Those records are listed",
            trigger: ".o_list_view .o_data_row",
        },
    ],
});
