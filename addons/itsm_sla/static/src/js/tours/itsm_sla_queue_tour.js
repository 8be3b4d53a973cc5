/** @odoo-module **/

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("itsm_sla_queue", {
    steps: () => [
        {
            content: "The SLA queue shows the breached ticket first, with its badge",
            trigger: ".o_list_view .o_data_row:first-child:contains('Tour breached') .badge:contains('Breached')",
        },
        {
            content: "The ticket at risk comes next: its deadline is nearer than the one on track",
            trigger:
                ".o_data_row:contains('Tour breached') ~ .o_data_row:contains('Tour at risk') .badge:contains('At Risk')",
        },
        {
            content: "The ticket on track comes last",
            trigger:
                ".o_data_row:contains('Tour at risk') ~ .o_data_row:contains('Tour on track') .badge:contains('On Track')",
        },
        {
            content: "Open the breached ticket",
            trigger: ".o_data_row:contains('Tour breached') td[name='name']",
            run: "click",
        },
        {
            content: "Its SLA tab",
            trigger: ".o_form_view .o_notebook a.nav-link:contains('SLA')",
            run: "click",
        },
        {
            content: "The response target is breached, measured by the contract",
            trigger:
                ".o_field_widget[name='sla_line_ids'] .o_data_row:contains('Response'):contains('Gold A') .badge:contains('Breached')",
        },
        {
            content: "So is the resolution target",
            trigger:
                ".o_field_widget[name='sla_line_ids'] .o_data_row:contains('Resolution') .badge:contains('Breached')",
        },
    ],
});
