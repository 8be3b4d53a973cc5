/** @odoo-module **/

import { rpc } from "@web/core/network/rpc";
import { KeepLast } from "@web/core/utils/concurrency";
import { renderToElement } from "@web/core/utils/render";
import { debounce } from "@web/core/utils/timing";
import publicWidget from "@web/legacy/js/public/public_widget";

const MIN_QUERY_LENGTH = 3;

/**
 * New-ticket form: while the user types the subject, suggest published articles; "This
 * solved my problem" counts a self-service deflection and replaces the form by a thank-you.
 */
publicWidget.registry.ItsmKbSuggestions = publicWidget.Widget.extend({
    selector: ".o_itsm_new_ticket_form",
    events: {
        "input input[name='name']": "_onSubjectInput",
        "change select[name='service_id']": "_onSubjectInput",
        "click .o_itsm_kb_deflect": "_onDeflectClick",
    },

    init() {
        this._super(...arguments);
        this.keepLast = new KeepLast();
        this._onSubjectInput = debounce(this._onSubjectInput, 400);
    },

    start() {
        this.subjectEl = this.el.querySelector("input[name='name']");
        this.serviceEl = this.el.querySelector("select[name='service_id']");
        this.suggestionsEl = this.el.querySelector(".o_itsm_kb_suggestions");
        if (this.subjectEl && this.subjectEl.value) {
            this._onSubjectInput();
        }
        return this._super(...arguments);
    },

    destroy() {
        this._onSubjectInput.cancel?.();
        this._super(...arguments);
    },

    _query() {
        return (this.subjectEl?.value || "").trim();
    },

    async _onSubjectInput() {
        if (!this.suggestionsEl) {
            return;
        }
        const query = this._query();
        let articles = [];
        if (query.length >= MIN_QUERY_LENGTH) {
            const found = await this.keepLast.add(
                rpc("/my/knowledge/suggest", {
                    query,
                    service_id: this.serviceEl?.value || false,
                })
            );
            // the article page offers "This solved my problem" too: it needs the query
            articles = found.map((article) => ({
                ...article,
                readUrl: `${article.url}?query=${encodeURIComponent(query)}`,
            }));
        }
        this.suggestionsEl.replaceChildren(
            renderToElement("itsm_knowledge.KbSuggestions", { articles, query })
        );
    },

    async _onDeflectClick(ev) {
        ev.preventDefault();
        const button = ev.currentTarget;
        button.disabled = true;
        try {
            await rpc(`/my/knowledge/${parseInt(button.dataset.articleId)}/deflect`, {
                query: this._query(),
                service_id: this.serviceEl?.value || false,
            });
        } catch (error) {
            button.disabled = false;
            throw error;
        }
        this.el.after(renderToElement("itsm_knowledge.KbThanks", {}));
        this.el.classList.add("d-none");
    },
});

/**
 * Article page and related articles of a ticket: "This solved my problem" and "This was helpful".
 */
publicWidget.registry.ItsmKbFeedback = publicWidget.Widget.extend({
    selector: ".o_itsm_kb_feedback",
    events: {
        "click .o_itsm_kb_deflect": "_onDeflectClick",
        "click .o_itsm_kb_vote": "_onVoteClick",
    },

    async _onDeflectClick(ev) {
        ev.preventDefault();
        const { articleId, ticketId, query } = this.el.dataset;
        ev.currentTarget.disabled = true;
        const result = await rpc(`/my/knowledge/${parseInt(articleId)}/deflect`, {
            query: query || "",
            ticket_id: ticketId ? parseInt(ticketId) : false,
        });
        if (result.ticket_closed) {
            window.location.reload();
            return;
        }
        this._showResult("itsm_knowledge.KbThanks");
    },

    async _onVoteClick(ev) {
        ev.preventDefault();
        ev.currentTarget.disabled = true;
        await rpc(`/my/knowledge/${parseInt(this.el.dataset.articleId)}/vote`, {});
        this._showResult("itsm_knowledge.KbVoteThanks");
    },

    _showResult(template) {
        this.el.querySelector(".o_itsm_kb_feedback_buttons")?.classList.add("d-none");
        this.el.querySelector(".o_itsm_kb_feedback_result")?.replaceChildren(renderToElement(template, {}));
    },
});
