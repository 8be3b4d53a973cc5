/** @odoo-module **/

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("itsm_portal_new_ticket", {
    url: "/my/tickets",
    steps: () => [
        {
            content: "Open the new-ticket form",
            trigger: "a.o_itsm_new_ticket",
            run: "click",
        },
        {
            content: "Choose the kind of request",
            trigger: "select[name='kind']",
            run: "select incident",
        },
        {
            content: "Write the subject",
            trigger: "input[name='name']",
            run: "edit Tour: the meeting-room projector shows no picture",
        },
        {
            content: "Describe the problem",
            trigger: "textarea[name='description']",
            run: "edit Since this morning the projector in room B stays blue.",
        },
        {
            content: "Submit",
            trigger: "button.o_itsm_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The ticket page shows the new ticket",
            trigger: ".o_itsm_portal_ticket:contains('Tour: the meeting-room projector shows no picture')",
        },
        {
            content: "Back to the list",
            trigger: ".breadcrumb a[href='/my/tickets']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The list contains the ticket",
            trigger: ".o_itsm_ticket_row:contains('Tour: the meeting-room projector shows no picture')",
        },
    ],
});
