/** @odoo-module **/

import { Component, markup, onWillStart, useState } from "@odoo/owl";
import { get } from "@web/core/network/http_service";

export const ANNOUNCEMENT_BANNER_ROUTE = "/itsm/announcements/banner";

/**
 * The active announcements above the agents' ticket views.
 *
 * Odoo 18 no longer renders the `banner_route` attribute of views, so the banner is a
 * component of the ticket list and kanban controllers (js_class) that fetches the same
 * kind of route: HTML rendered server-side from sanitised announcements.
 */
export class AnnouncementBanner extends Component {
    static template = "itsm_announcement.AnnouncementBanner";
    static props = {};

    setup() {
        this.state = useState({ html: "", dismissed: false });
        // do not hold the view's first rendering on the banner
        onWillStart(() => {
            this.load();
        });
    }

    async load() {
        try {
            const html = await get(ANNOUNCEMENT_BANNER_ROUTE, "text");
            this.state.html = html.trim() ? markup(html) : "";
        } catch {
            // no banner rather than a broken view
            this.state.html = "";
        }
    }

    dismiss() {
        this.state.dismissed = true;
    }
}
