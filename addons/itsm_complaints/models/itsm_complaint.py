import uuid
from datetime import timedelta

from markupsafe import Markup
from werkzeug.urls import url_encode

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import is_html_empty

from ..tools import demo_complaints
from .itsm_complaint_step import COMPLAINT_STATES, DONE_STATES

KINDS = [("complaint", "Complaint"), ("suggestion", "Suggestion")]
CHANNELS = [("portal", "Portal"), ("email", "E-mail"), ("phone", "Phone"), ("walk_in", "Walk-in")]
SEVERITIES = [("low", "Low"), ("medium", "Medium"), ("high", "High"), ("critical", "Critical")]
FEEDBACKS = [("satisfied", "Satisfied"), ("not_satisfied", "Not Satisfied"), ("no_answer", "No Answer")]
# the transitions each action allows; anything else is refused with a clear message
TRANSITIONS = {
    "investigating": ("received",),
    "responded": ("investigating",),
    "awaiting_feedback": ("responded",),
    "reported": ("responded", "awaiting_feedback"),
    "closed": ("reported",),
    "rejected": ("received", "investigating"),
    "withdrawn": ("received", "investigating", "responded", "awaiting_feedback"),
}


class ItsmComplaint(models.Model):
    _name = "itsm.complaint"
    _description = "Complaint or Suggestion"
    _inherit = ["itsm.intake.mixin", "itsm.portal.token.mixin", "mail.thread", "mail.activity.mixin"]
    _intake_sequence_code = "itsm.complaint"
    _intake_sequence_prefix = "CMP%(y)s-"
    _order = "id desc"
    _primary_email = "partner_email"
    _rec_names_search = ["number", "name"]
    _mail_post_access = "read"
    _check_company_auto = True

    number = fields.Char(
        readonly=True, copy=False, index="btree_not_null", default=lambda self: self.env._("New")
    )
    name = fields.Char("Subject", required=True, tracking=True)
    kind = fields.Selection(KINDS, required=True, default="complaint", tracking=True, index=True)
    description = fields.Html(sanitize=True, sanitize_attributes=True, sanitize_style=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    channel = fields.Selection(CHANNELS, required=True, default="phone", tracking=True, index=True)
    received_at = fields.Datetime(
        required=True, readonly=True, copy=False, index=True, default=fields.Datetime.now
    )
    receiver_id = fields.Many2one(
        "res.users",
        "Received by",
        default=lambda self: self.env.user if not self.env.user.share else False,
        domain=[("share", "=", False)],
        index="btree_not_null",
        groups="itsm_complaints.group_complaint_receiver",
    )

    # complainant
    partner_id = fields.Many2one("res.partner", "Complainant", tracking=True, index=True)
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", string="Customer", store=True, index=True, precompute=True
    )
    partner_email = fields.Char(
        "Complainant E-mail", compute="_compute_partner_email", store=True, readonly=False, precompute=True
    )

    # classification and what it is about
    category_id = fields.Many2one("itsm.complaint.category", tracking=True, index=True)
    severity = fields.Selection(
        SEVERITIES,
        default="medium",
        required=True,
        tracking=True,
        groups="itsm_complaints.group_complaint_receiver",
    )
    service_id = fields.Many2one("itsm.service", tracking=True, index=True, check_company=True)
    ticket_id = fields.Many2one("itsm.ticket", tracking=True, index="btree_not_null", check_company=True)
    agent_id = fields.Many2one(
        "res.users",
        "Agent Concerned",
        compute="_compute_concerned",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        index="btree_not_null",
        domain=[("share", "=", False)],
        groups="itsm_complaints.group_complaint_receiver",
        help="The agent the complaint is about: never sees it unless the response is shared with them. "
        "A complaint about a ticket concerns the ticket's assignee unless told otherwise.",
    )
    team_id = fields.Many2one(
        "itsm.team",
        "Team Concerned",
        compute="_compute_concerned",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        index=True,
        check_company=True,
        groups="itsm_complaints.group_complaint_receiver",
    )

    # handling
    owner_id = fields.Many2one(
        "res.users",
        "Handler",
        tracking=True,
        index=True,
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("itsm_complaints.group_complaint_handler").ids)
        ],
        groups="itsm_complaints.group_complaint_receiver",
    )
    state = fields.Selection(
        COMPLAINT_STATES,
        required=True,
        default="received",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    state_entered_at = fields.Datetime(
        "In Step Since", readonly=True, copy=False, default=fields.Datetime.now
    )
    step_deadline = fields.Datetime(
        "Step Due",
        compute="_compute_step_deadline",
        store=True,
        index=True,
        precompute=True,
        copy=False,
        groups="itsm_complaints.group_complaint_receiver",
    )
    is_overdue = fields.Boolean("Overdue", compute="_compute_is_overdue", search="_search_is_overdue")
    step_log_ids = fields.One2many(
        "itsm.complaint.step.log",
        "complaint_id",
        "Step History",
        readonly=True,
        groups="itsm_complaints.group_complaint_receiver",
    )
    escalation_level = fields.Integer(
        readonly=True, copy=False, tracking=True, groups="itsm_complaints.group_complaint_receiver"
    )
    # what the complainant may not read: how the complaint was investigated and by whom
    investigation_findings = fields.Html(sanitize=True, groups="itsm_complaints.group_complaint_receiver")
    response = fields.Html("Response to the Complainant", sanitize=True)
    responded_at = fields.Datetime(readonly=True, copy=False)
    is_response_shared = fields.Boolean(
        "Response Shared with the Agent",
        tracking=True,
        copy=False,
        groups="itsm_complaints.group_complaint_receiver",
        help="The response was sent to the agent concerned, who never reads the complaint itself.",
    )
    feedback = fields.Selection(FEEDBACKS, readonly=True, copy=False, tracking=True)
    feedback_comment = fields.Text(readonly=True, copy=False)
    feedback_at = fields.Datetime(readonly=True, copy=False)
    report_summary = fields.Html(
        "Closure Report",
        sanitize=True,
        groups="itsm_complaints.group_complaint_receiver",
        help="What was found, answered and changed.",
    )
    rejection_reason = fields.Text(copy=False, tracking=True)
    closed_at = fields.Datetime(readonly=True, copy=False, index=True)
    improvement_action_ids = fields.One2many(
        "itsm.improvement.action",
        "complaint_id",
        "Improvement Actions",
        groups="itsm_complaints.group_complaint_receiver",
    )
    improvement_action_count = fields.Integer(
        compute="_compute_improvement_action_count", groups="itsm_complaints.group_complaint_receiver"
    )

    _sql_constraints = [
        ("number_company_unique", "UNIQUE(company_id, number)", "Complaint numbers are unique per company."),
    ]

    # ------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------
    @api.depends("number", "name")
    def _compute_display_name(self):
        for complaint in self:
            complaint.display_name = (
                f"{complaint.number} {complaint.name}" if complaint.number else complaint.name
            )

    @api.depends("ticket_id")
    def _compute_concerned(self):
        """A complaint about a ticket is about the ticket's assignee and team, so that the agent
        concerned never reads it, even as a complaint handler; a choice made by hand is kept."""
        for complaint in self:
            ticket = complaint.ticket_id.sudo()
            complaint.agent_id = ticket.user_id or complaint.agent_id
            complaint.team_id = ticket.team_id or complaint.team_id

    @api.depends("partner_id")
    def _compute_partner_email(self):
        for complaint in self:
            if complaint.partner_id.email:
                complaint.partner_email = complaint.partner_id.email_normalized or complaint.partner_id.email

    @api.depends("state", "state_entered_at", "company_id")
    def _compute_step_deadline(self):
        durations = self.env["itsm.complaint.step"]._get_durations(set(self.company_id.ids))
        for complaint in self:
            days = durations.get((complaint.company_id.id, complaint.state))
            if days and complaint.state_entered_at and complaint.state not in DONE_STATES:
                complaint.step_deadline = complaint.state_entered_at + timedelta(days=days)
            else:
                complaint.step_deadline = False

    @api.depends("step_deadline")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for complaint in self:
            complaint.is_overdue = bool(complaint.step_deadline and complaint.step_deadline < now)

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue complaints."))
        overdue = [("step_deadline", "<", fields.Datetime.now())]
        return overdue if (operator == "=") == value else ["!", *overdue]

    def _compute_improvement_action_count(self):
        counts = dict(
            self.env["itsm.improvement.action"]._read_group(
                [("complaint_id", "in", self.ids)], ["complaint_id"], ["__count"]
            )
        )
        for complaint in self:
            complaint.improvement_action_count = counts.get(complaint, 0)

    def _compute_access_url(self):
        super()._compute_access_url()
        for complaint in self:
            complaint.access_url = f"/my/complaints/{complaint.id}"

    @api.model
    def _get_mail_access_domain(self, model_field, res_field="res_id"):
        """Domain on followers, messages or activities keeping, of those of complaints, only the
        complaints the current user may read (their own rights, even when called as superuser by
        a record rule). Everything attached to another model is left alone."""
        Complaint = self.sudo(False)
        if not Complaint.has_access("read"):
            return [(model_field, "!=", self._name)]
        return ["|", (model_field, "!=", self._name), (res_field, "in", Complaint._search([]))]

    # ------------------------------------------------------------------
    # constraints
    # ------------------------------------------------------------------
    @api.constrains("ticket_id", "partner_id")
    def _check_ticket_partner(self):
        for complaint in self.filtered(lambda c: c.ticket_id and c.partner_id):
            if complaint.ticket_id.commercial_partner_id != complaint.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Ticket %(ticket)s is not a ticket of %(customer)s.",
                        ticket=complaint.ticket_id.number,
                        customer=complaint.commercial_partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # create / write
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        vals_list = [dict(vals) for vals in vals_list]
        default_company = self.env.context.get("default_company_id") or self.env.company.id
        for vals in vals_list:
            vals.setdefault("company_id", default_company)
            vals.setdefault("access_token", str(uuid.uuid4()))
            vals.setdefault("received_at", now)
            vals.setdefault("state_entered_at", now)
        self._prepare_numbers(vals_list)
        complaints = super().create(vals_list)
        complaints._log_steps(now)
        complaints._unsubscribe_agents()
        complaints._subscribe_complainants()
        complaints._send_acknowledgements()
        return complaints

    def _subscribe_complainants(self):
        """The complainant follows their complaint, but only its customer-facing subtypes."""
        for complaint in self.filtered("partner_id"):
            complaint.message_subscribe(partner_ids=complaint.partner_id.ids)

    def _unsubscribe_agents(self):
        """The agent concerned never follows the complaint about them: a follower reads it and
        receives its messages (whoever recorded it and is named afterwards included)."""
        for agent, complaints in self.sudo().filtered("agent_id").grouped("agent_id").items():
            complaints.message_unsubscribe(partner_ids=agent.partner_id.ids)

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        agent_partners = {c.id: c.sudo().agent_id.partner_id.id for c in self}
        if not partner_ids or not any(pid in partner_ids for pid in agent_partners.values()):
            return super().message_subscribe(partner_ids=partner_ids, subtype_ids=subtype_ids)
        for complaint in self:
            allowed = [pid for pid in partner_ids if pid != agent_partners[complaint.id]]
            if allowed:
                super(ItsmComplaint, complaint).message_subscribe(
                    partner_ids=allowed, subtype_ids=subtype_ids
                )
        return True

    def write(self, vals):
        agents_changed = vals.keys() & {"agent_id", "owner_id", "receiver_id", "ticket_id"}
        if "state" not in vals:
            result = super().write(vals)
        else:
            # a step change: the step log closes and opens, for the complaints whose state changes
            vals = dict(vals)
            changing = self.filtered(lambda c: c.state != vals["state"])
            unchanged = self - changing
            result = True
            if unchanged and len(vals) > 1:
                result = super(ItsmComplaint, unchanged).write(
                    {k: v for k, v in vals.items() if k != "state"}
                )
            if changing:
                now = fields.Datetime.now()
                vals["state_entered_at"] = now
                vals["closed_at"] = now if vals["state"] in DONE_STATES else False
                changing._close_step_logs(now)
                result = super(ItsmComplaint, changing).write(vals)
                changing._log_steps(now)
        if agents_changed:
            self._unsubscribe_agents()
        return result

    def _log_steps(self, now):
        self.env["itsm.complaint.step.log"].sudo().create(
            [
                {
                    "complaint_id": complaint.id,
                    "state": complaint.state,
                    "entered_at": now,
                    "deadline": complaint.step_deadline,
                    "user_id": self.env.uid,
                    "escalation_level": complaint.escalation_level,
                }
                for complaint in self
            ]
        )

    def _close_step_logs(self, now):
        self.env["itsm.complaint.step.log"].sudo().search(
            [("complaint_id", "in", self.ids), ("left_at", "=", False)]
        ).write({"left_at": now})

    # ------------------------------------------------------------------
    # lifecycle
    # ------------------------------------------------------------------
    def _check_transition(self, target):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for complaint in self:
            if complaint.state not in TRANSITIONS[target]:
                raise UserError(
                    self.env._(
                        "Complaint %(number)s is %(state)s: it cannot move to %(target)s.",
                        number=complaint.number,
                        state=labels[complaint.state],
                        target=labels[target],
                    )
                )

    def action_start_investigation(self):
        self._check_transition("investigating")
        without_owner = self.filtered(lambda c: not c.owner_id)
        if without_owner:
            without_owner.write({"owner_id": self.env.uid})
        self.write({"state": "investigating"})
        return True

    def action_send_response(self):
        """Send the response to the complainant (e-mail) and wait for their feedback."""
        self._check_transition("responded")
        missing = self.filtered(lambda c: is_html_empty(c.response))
        if missing:
            raise UserError(
                self.env._(
                    "Write the response to the complainant first (%s).", ", ".join(missing.mapped("number"))
                )
            )
        self.write({"state": "responded", "responded_at": fields.Datetime.now(), "feedback": False})
        self._send_template("itsm_complaints.mail_template_complaint_response")
        return True

    def action_request_feedback(self):
        self._check_transition("awaiting_feedback")
        self.write({"state": "awaiting_feedback"})
        self._send_template("itsm_complaints.mail_template_complaint_feedback_request")
        return True

    def action_report(self):
        """Write the closure report: the complainant was satisfied, or did not answer."""
        self._check_transition("reported")
        unhappy = self.filtered(lambda c: c.feedback == "not_satisfied")
        if unhappy:
            raise UserError(self.env._("A dissatisfied complainant is escalated, not reported."))
        self.filtered(lambda c: not c.feedback).write({"feedback": "no_answer"})
        self.write({"state": "reported"})
        return True

    def action_close(self):
        self._check_transition("closed")
        missing = self.filtered(lambda c: is_html_empty(c.report_summary))
        if missing:
            raise UserError(
                self.env._("Write the closure report before closing %s.", ", ".join(missing.mapped("number")))
            )
        self.write({"state": "closed"})
        return True

    def action_reject(self):
        self._check_transition("rejected")
        if self.filtered(lambda c: not (c.rejection_reason or "").strip()):
            raise UserError(self.env._("Give the reason for rejecting the complaint."))
        self.write({"state": "rejected"})
        return True

    def action_withdraw(self):
        self._check_transition("withdrawn")
        self.write({"state": "withdrawn"})
        return True

    def action_share_response(self):
        """Send the response, and only the response, to the agent concerned.

        The agent never reads the complaint: the response is copied into a shared response that only
        they (and the process owners) may read, and they are notified of it.
        """
        self.check_access("write")
        for complaint in self:
            if not complaint.agent_id or not complaint.responded_at:
                raise UserError(self.env._("Only a response sent about an agent can be shared with them."))
        shared = (
            self.env["itsm.complaint.shared.response"]
            .sudo()
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create(
                [
                    {
                        "complaint_id": complaint.id,
                        "number": complaint.number,
                        "response": complaint.response,
                        "agent_id": complaint.agent_id.id,
                        "company_id": complaint.company_id.id,
                    }
                    for complaint in self
                ]
            )
        )
        self.write({"is_response_shared": True})
        for record in shared:
            record.message_notify(
                partner_ids=record.agent_id.partner_id.ids,
                subject=self.env._("Complaint %s: the response is shared with you", record.number),
                body=record.response,
                email_layout_xmlid="mail.mail_notification_light",
            )
        return True

    def _record_feedback(self, feedback, comment=False, author=None):
        """Store the complainant's feedback; a dissatisfied one escalates the complaint.

        ``author`` is the partner who answered (the complainant on the portal), recorded as the
        author of the feedback message.
        """
        if feedback not in ("satisfied", "not_satisfied"):
            raise UserError(self.env._("Feedback is either satisfied or not satisfied."))
        for complaint in self:
            if complaint.state not in ("responded", "awaiting_feedback"):
                raise UserError(self.env._("Complaint %s is not waiting for feedback.", complaint.number))
        self.write(
            {"feedback": feedback, "feedback_comment": comment or False, "feedback_at": fields.Datetime.now()}
        )
        labels = dict(self._fields["feedback"]._description_selection(self.env))
        for complaint in self:
            complaint.message_post(
                body=Markup("<p><b>%s</b> %s</p><p>%s</p>")
                % (self.env._("Feedback from the complainant:"), labels[feedback], comment or ""),
                author_id=author.id if author else None,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        if feedback == "not_satisfied":
            self._escalate()
        return True

    def _get_escalation_owner(self, level):
        """The handler of an escalation level: 1 the process owner, 2 and above management."""
        self.ensure_one()
        company = self.company_id
        if level >= 2 and company.itsm_complaint_management_id:
            return company.itsm_complaint_management_id
        return company.itsm_complaint_process_owner_id or company.itsm_complaint_management_id

    def _escalate(self):
        """Route a dissatisfied complainant's complaint to the next level and investigate again."""
        for complaint in self:
            level = complaint.escalation_level + 1
            owner = complaint._get_escalation_owner(level)
            complaint.write(
                {
                    "escalation_level": level,
                    "owner_id": owner.id or complaint.owner_id.id,
                    "state": "investigating",
                }
            )
            complaint.message_post(
                body=Markup("<p><b>%s</b></p><p>%s</p>")
                % (
                    self.env._("Escalated to level %s: the complainant is not satisfied.", level),
                    self.env._("New handler: %s", (owner or complaint.owner_id).name or self.env._("none")),
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                partner_ids=owner.partner_id.ids,
            )

    def action_feedback_satisfied(self):
        return self._record_feedback("satisfied")

    def action_feedback_not_satisfied(self):
        return self._record_feedback("not_satisfied")

    def action_view_improvement_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("itsm_helpdesk.itsm_improvement_action_action")
        action["domain"] = [("complaint_id", "=", self.id)]
        action["context"] = {"default_complaint_id": self.id, "default_company_id": self.company_id.id}
        return action

    # ------------------------------------------------------------------
    # mail
    # ------------------------------------------------------------------
    def _send_template(self, xmlid):
        template = self.env.ref(xmlid, raise_if_not_found=False)
        recipients = self.filtered(lambda c: c.partner_id or c.partner_email)
        if template and recipients:
            for complaint in recipients:
                complaint.message_post_with_source(
                    template,
                    subtype_xmlid="mail.mt_comment",
                    email_layout_xmlid="mail.mail_notification_light",
                )

    def _notify_get_recipients_groups(self, message, model_description, msg_vals=None):
        """Only the complainant's own e-mail carries the link that opens the complaint without
        logging in (token, partner and signature); while their feedback is awaited it opens the
        feedback page. Followers get the usual links, which need their own rights."""
        groups = super()._notify_get_recipients_groups(message, model_description, msg_vals=msg_vals)
        if not self or self.state not in ("responded", "awaiting_feedback"):
            return groups
        for name, _check, data in groups:
            if name == "portal_customer":
                data["button_access"] = {
                    "url": self._get_feedback_url(self.partner_id.id),
                    "title": self.env._("Give your feedback"),
                }
        return groups

    @api.model
    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        """The conversation of a complaint opens with the user's own rights or the signature of
        the complainant's e-mail link (pid and hash), never with the bare token: the token alone
        may have been seen by someone else."""
        token = kwargs.pop("token", None)
        thread = super()._get_thread_with_access(thread_id, mode, **kwargs)
        if not thread and token and self.env.context.get("itsm_complaint_signed_link"):
            # the portal controller checked the complainant's signature that goes with the token
            thread = super()._get_thread_with_access(thread_id, mode, token=token)
        return thread

    def _get_feedback_url(self, pid):
        """The feedback page's address for the complainant ``pid``, signed for them."""
        self.ensure_one()
        query = url_encode(
            {"access_token": self.sudo()._portal_ensure_token(), "pid": pid, "hash": self._sign_token(pid)}
        )
        return f"{self.get_base_url()}/my/complaints/{self.id}/feedback?{query}"

    def _send_acknowledgements(self):
        self._send_template("itsm_complaints.mail_template_complaint_received")

    def _creation_message(self):
        return (
            self.env._("Complaint recorded")
            if self.kind == "complaint"
            else self.env._("Suggestion recorded")
        )

    @api.model
    def _intake_sequence_name(self):
        return self.env._("Complaints")

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A mail to the complaints alias records a complaint from its sender."""
        values, author = self._prepare_mail_intake_values(
            msg_dict, dict(custom_values or {}, receiver_id=False)
        )
        if author:
            # the incoming mail is then posted as the complainant's: it is not echoed back to them
            msg_dict["author_id"] = author.id
        return super(ItsmComplaint, self.with_context(mail_create_nosubscribe=True)).message_new(
            msg_dict, values
        )

    def _message_get_suggested_recipients(self):
        recipients = super()._message_get_suggested_recipients()
        if self.partner_id:
            self._message_add_suggested_recipient(
                recipients, partner=self.partner_id, reason=self.env._("Complainant")
            )
        return recipients

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Complaint %s", self.number)

    @api.model
    def _demo_play_history(self):
        """Demo data (demo/itsm_complaint_demo.xml): a year of complaints, see tools/demo_complaints.py."""
        return demo_complaints.play_history(self.env)
