from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import groupby

from odoo.addons.itsm_helpdesk.tools.locking import claim


class ItsmTicket(models.Model):
    _name = "itsm.ticket"
    _inherit = ["itsm.ticket", "rating.mixin", "itsm.improvement.source.mixin"]
    _improvement_source_field = "satisfaction_ticket_id"

    rating_requested_at = fields.Datetime(
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="When the unanswered rating request was sent; cleared by an answer or the default rating.",
    )
    use_rating = fields.Boolean(related="team_id.use_rating")
    callback_ids = fields.One2many("itsm.callback", "ticket_id", "Callbacks", groups="base.group_user")
    improvement_action_ids = fields.One2many(
        "itsm.improvement.action", "satisfaction_ticket_id", "Improvement Actions"
    )

    def _rating_get_operator(self):
        return self.user_id.partner_id

    def _rating_get_partner(self):
        return self.partner_id

    def _rating_get_parent_field_name(self):
        return "team_id"

    @api.model
    def _prepare_new_ticket_values(self, vals_list):
        result = super()._prepare_new_ticket_values(vals_list)
        # a new ticket has no rating yet: spares the mixin's SQL query per created batch
        for vals in vals_list:
            vals.setdefault("rating_last_value", 0.0)
        return result

    def _on_closed(self):
        result = super()._on_closed()
        self._itsm_send_rating_requests()
        return result

    # ------------------------------------------------------------------
    # rating requests
    # ------------------------------------------------------------------
    def _itsm_send_rating_requests(self):
        """Send resolved tickets' requesters the team's rating request, unless the fatigue rule says no.

        One request per person in a batch; people asked too recently (or flagged "do not survey")
        get no request, and the ticket says why.
        """
        tickets = self.filtered(lambda t: t.use_rating and t.team_id.rating_template_id and t.partner_id)
        if not tickets:
            return self.browse()
        now = fields.Datetime.now()
        contacts = self.env["itsm.survey.contact"]
        to_ask = self.browse()
        for min_days, group in groupby(tickets, key=lambda t: t.team_id._itsm_survey_min_days()):
            group = self.browse([t.id for t in group])
            allowed = contacts._itsm_partners_surveyable(group.partner_id, now, min_days)
            for ticket in group:
                if ticket.partner_id in allowed and ticket.partner_id not in to_ask.partner_id:
                    to_ask |= ticket
        skipped = tickets - to_ask
        for ticket in to_ask:
            ticket.rating_send_request(
                ticket.team_id.rating_template_id, lang=ticket.partner_id.lang, force_send=False
            )
        if to_ask:
            to_ask.sudo().write({"rating_requested_at": now})
            contacts._itsm_log(to_ask, "email", at=now)
        if skipped:
            note = Markup("<p>%s</p>") % self.env._(
                "No rating request sent: the requester does not wish to be surveyed "
                "or was asked for an opinion too recently."
            )
            skipped._message_log_batch(bodies=dict.fromkeys(skipped.ids, note))
        return to_ask

    def rating_send_request(self, template, lang=False, force_send=True):
        """Odoo's request, but the chatter keeps a notice instead of the e-mail with its links.

        The links carry the token that answers in the customer's name; every employee reading
        the ticket would read it in the copy posted on the chatter. The e-mail itself is sent
        as rendered.
        """
        if lang:
            template = template.with_context(lang=lang)
        messages = self.with_context(mail_notify_force_send=force_send).message_post_with_source(
            template,
            email_layout_xmlid="mail.mail_notification_light",
            force_send=force_send,
            subtype_xmlid="mail.mt_note",
        )
        if messages:
            notice = Markup("<p>%s</p>") % self.env._("Rating request sent to the requester.")
            messages.sudo().write({"body": notice})
        return messages

    def _itsm_pending_rating(self):
        """The requester's rating still open to an answer: unanswered, or only defaulted."""
        self.ensure_one()
        return (
            self.env["rating.rating"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("partner_id", "=", self.partner_id.id),
                    "|",
                    ("consumed", "=", False),
                    ("is_default", "=", True),
                ],
                order="id desc",
                limit=1,
            )
        )

    def rating_apply(
        self, rate, token=None, rating=None, feedback=None, subtype_xmlid=None, notify_delay_send=False
    ):
        """A real answer, on time or late: it replaces a default rating in place (same record)."""
        rating = super().rating_apply(
            rate,
            token=token,
            rating=rating,
            feedback=feedback,
            subtype_xmlid=subtype_xmlid,
            notify_delay_send=notify_delay_send,
        )
        rating.sudo().write(
            {"itsm_channel": self.env.context.get("itsm_rating_channel") or "email", "is_default": False}
        )
        self.sudo().filtered("rating_requested_at").write({"rating_requested_at": False})
        self._itsm_follow_up_low_rating(rating)
        return rating

    def _itsm_follow_up_low_rating(self, rating):
        self.ensure_one()
        if rating.rating >= self.company_id.itsm_followup_threshold:
            return
        user = self.team_id.leader_id or self.user_id or self.env.user
        self.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=user.id,
            summary=self.env._("Follow up a low satisfaction rating (%s/5)", int(rating.rating)),
            note=rating.feedback or False,
        )

    # ------------------------------------------------------------------
    # default evaluation
    # ------------------------------------------------------------------
    @api.model
    def _cron_record_default_ratings(self, batch_size=1000):
        """Record the default rating of resolved tickets whose request went unanswered too long.

        Only due tickets are read: a partial index covers ``rating_requested_at``, which is set
        while a request waits for its answer and cleared once answered or defaulted. The due
        tickets are claimed: a run at the same moment on another node defaults others.
        """
        now = fields.Datetime.now()
        done = 0
        for company in self.env["res.company"].search([("itsm_default_rating_days", ">", 0)]):
            due = claim(
                self.sudo(),
                [
                    ("rating_requested_at", "<=", now - timedelta(days=company.itsm_default_rating_days)),
                    ("company_id", "=", company.id),
                    ("is_closed", "=", True),
                ],
                limit=batch_size,
                order="rating_requested_at",
            )
            due._itsm_record_default_rating(company.itsm_default_rating_value)
            done += len(due)
        if done >= batch_size:
            self.env.ref("itsm_satisfaction.ir_cron_default_ratings")._trigger()
        return done

    def _itsm_record_default_rating(self, value):
        if not self:
            return
        pending = (
            self.env["rating.rating"]
            .sudo()
            .search([("res_model", "=", self._name), ("res_id", "in", self.ids), ("consumed", "=", False)])
        )
        pending.write(
            {
                "rating": value,
                "consumed": True,
                "is_default": True,
                "itsm_channel": "default",
                "feedback": False,
            }
        )
        self.write({"rating_requested_at": False})
        note = Markup("<p>%s</p>") % self.env._(
            "No answer to the rating request: default rating %s/5 recorded.", value
        )
        self.browse({r.res_id for r in pending})._message_log_batch(
            bodies=dict.fromkeys({r.res_id for r in pending}, note)
        )

    def action_open_rating_wizard(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "itsm_satisfaction.itsm_ticket_rating_wizard_action"
        )
        action["context"] = {"default_ticket_id": self.id}
        return action

    def action_view_ratings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("itsm_satisfaction.rating_rating_action_itsm")
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------
    # improvement actions
    # ------------------------------------------------------------------
    def _improvement_action_defaults(self):
        defaults = super()._improvement_action_defaults()
        rating = self.env["rating.rating"].search(
            [("itsm_ticket_id", "=", self.id), ("consumed", "=", True)],
            order="write_date desc, id desc",
            limit=1,
        )
        if rating:
            defaults["default_rating_id"] = rating.id
            defaults["default_name"] = self.env._(
                "Follow up the %(rating)s/5 rating of %(ticket)s",
                rating=int(rating.rating),
                ticket=self.display_name,
            )
        return defaults
