/** @odoo-module **/

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("itsm_announcement_banner", {
    steps: () => [
        {
            content: "The kanban of tickets shows the active announcements",
            trigger: ".o_kanban_view .o_itsm_announcement_banner:contains('Everybody: mail outage')",
        },
        {
            content: "Announcements not yet shown stay hidden",
            trigger: ".o_itsm_announcement_banner:not(:contains('Future: printer swap'))",
        },
        {
            content: "Switch to the list",
            trigger: "button.o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The list shows them too",
            trigger: ".o_list_view .o_itsm_announcement_banner:contains('For A: mail migration')",
        },
        {
            content: "Hide them",
            trigger: ".o_itsm_announcement_banner .btn-close",
            run: "click",
        },
        {
            content: "The banner is gone, the tickets remain",
            trigger: ".o_list_view:not(:has(.o_itsm_announcement_banner)) .o_data_row",
        },
    ],
});
