/** @odoo-module **/

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("itsm_knowledge_deflection", {
    url: "/my/tickets/new",
    steps: () => [
        {
            content: "Write the subject of the new ticket",
            trigger: "input[name='name']",
            run: "edit My VPN connection fails at the hotel",
        },
        {
            content: "A published article is suggested while typing",
            trigger: ".o_itsm_kb_suggestion:contains('Connect to the VPN from home')",
        },
        {
            content: "The internal article is never suggested",
            trigger: ".o_itsm_kb_suggestions:not(:contains('Restart the VPN gateway'))",
        },
        {
            content: "The article solved the problem",
            trigger: ".o_itsm_kb_suggestion:contains('Connect to the VPN from home') .o_itsm_kb_deflect",
            run: "click",
        },
        {
            content: "A thank-you replaces the form",
            trigger: ".o_itsm_kb_thanks",
        },
        {
            content: "The form is gone",
            trigger: "body:not(:has(.o_itsm_new_ticket_form:visible))",
        },
    ],
});
