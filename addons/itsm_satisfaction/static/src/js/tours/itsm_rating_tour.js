/** @odoo-module **/

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("itsm_satisfaction_portal_rating", {
    steps: () => [
        {
            content: "The solved ticket asks how it went",
            trigger: ".o_itsm_rate a[title='Okay']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The rating page has the chosen answer and room for a comment",
            trigger: ".o_rating_page_submit input#rate_3:checked",
        },
        {
            content: "Change one's mind: satisfied after all",
            trigger: ".o_rating_page_submit label[for='rate_5']",
            run: "click",
        },
        {
            content: "Say why",
            trigger: ".o_rating_page_submit textarea[name='feedback']",
            run: "edit The printer works again, thank you",
        },
        {
            content: "Send it",
            trigger: ".o_rating_page_submit button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Thanked for the feedback",
            trigger: "h3:contains('Thank you for your feedback!')",
        },
    ],
});
