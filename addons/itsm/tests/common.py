from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user

# the core models through which the suite's records show
CORE_MODELS = ("mail.message", "mail.followers", "mail.activity", "ir.attachment", "rating.rating")


def suite_models(env):
    """Every model the suite defines (SQL report models included), read from the registry:
    transient models are left out, their records belong to the user who made them."""
    return sorted(
        name
        for name, model in env.registry.items()
        if (model._original_module or "").startswith("itsm") and not model._abstract and not model._transient
    )


PLAIN = ("char", "text", "boolean", "integer", "float", "selection", "date", "datetime")


def unchanged_values(record):
    """A write of one plain field to its own value: it passes every check but the access one."""
    for name, field in record._fields.items():
        if field.store and not (field.compute or field.related or field.automatic) and field.type in PLAIN:
            return {name: field.convert_to_write(record.sudo()[name], record)}
    return {}


class SuiteFixture(TransactionCase):
    """Two companies; in company 1 two customers (A and B), tickets of every visibility (line 1,
    line 2, a members-only team), a complaint about an agent, callbacks, ratings, SLA clocks and the
    desk's child records; in company 2 the same kinds of records, none of which any role of
    company 1 may see.

    ``cls.roles`` maps a role name to its user, the tickets and complaints it may read.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company = env.company
        cls.company_2 = env["res.company"].create({"name": "Second Company"})
        cls.watermark = {}
        for name in suite_models(env) + list(CORE_MODELS):
            last = env[name].sudo().with_context(active_test=False).search([], order="id desc", limit=1)
            cls.watermark[name] = last.id or 0
        cls._make_users()
        cls._make_desk()
        cls._make_sla()
        cls._make_satisfaction()
        cls._make_complaints()
        cls._make_morale()
        cls._make_core()
        env.flush_all()
        cls.roles = cls._roles()

    # users ------------------------------------------------------------------------------------

    @classmethod
    def _user(cls, login, groups, **values):
        if groups != "base.group_portal":
            groups += ",base.group_allow_export"
        return new_test_user(
            cls.env,
            login,
            groups=groups,
            name=login.replace("_", " ").title(),
            email=f"{login}@example.com",
            **values,
        )

    @classmethod
    def _make_users(cls):
        agent, expert = "itsm_helpdesk.group_itsm_agent", "itsm_helpdesk.group_itsm_agent_expert"
        cls.agent_1 = cls._user("mx_agent_1", agent)
        cls.expert = cls._user("mx_expert", expert)
        cls.desk_manager = cls._user("mx_desk_manager", "itsm_helpdesk.group_itsm_manager")
        cls.receiver = cls._user("mx_receiver", "itsm_complaints.group_complaint_receiver")
        cls.handler = cls._user("mx_handler", "itsm_complaints.group_complaint_handler")
        cls.process_owner = cls._user("mx_process_owner", "itsm_complaints.group_complaint_process_owner")
        cls.impl_lead = cls._user("mx_impl_lead", "itsm_complaints.group_improvement_lead")
        # a line-1 agent who also handles complaints, and is the one complained about
        cls.agent_concerned = cls._user(
            "mx_agent_concerned", f"{agent},itsm_complaints.group_complaint_handler"
        )
        cls.customer_a = cls.env["res.partner"].create({"name": "MX Customer A", "is_company": True})
        cls.customer_b = cls.env["res.partner"].create({"name": "MX Customer B", "is_company": True})
        cls.customer_c = cls.env["res.partner"].create({"name": "MX Customer C", "is_company": True})
        cls.portal_a = cls._user("mx_portal_a", "base.group_portal")
        cls.portal_a2 = cls._user("mx_portal_a2", "base.group_portal")
        cls.contact_a = cls._user("mx_contact_a", "base.group_portal")
        cls.portal_b = cls._user("mx_portal_b", "base.group_portal")
        (cls.portal_a | cls.portal_a2 | cls.contact_a).partner_id.parent_id = cls.customer_a
        cls.portal_b.partner_id.parent_id = cls.customer_b
        cls.contact_a.partner_id.itsm_company_access = True
        cls.public = cls.env.ref("base.public_user")

    # service desk -----------------------------------------------------------------------------

    @classmethod
    def _make_desk(cls):
        env = cls.env
        Team, Ticket = env["itsm.team"], env["itsm.ticket"]
        cls.team_desk = Team.create(
            {"name": "MX Desk", "support_line": "1", "member_ids": [Command.set(cls.agent_1.ids)]}
        )
        cls.team_field = Team.create({"name": "MX Field", "support_line": "2"})
        cls.team_members = Team.create(
            {
                "name": "MX Experts",
                "support_line": "2",
                "visibility": "members",
                "member_ids": [Command.set(cls.expert.ids)],
            }
        )
        cls.team_2 = Team.create({"name": "MX Desk 2", "company_id": cls.company_2.id})
        cls.service = env["itsm.service"].create({"name": "MX Mail"})
        cls.service_2 = env["itsm.service"].create({"name": "MX Mail 2", "company_id": cls.company_2.id})
        cls.template_2 = env["itsm.request.template"].create(
            {
                "name": "MX Reset 2",
                "service_id": cls.service_2.id,
                "checklist_item_ids": [Command.create({"name": "Check identity"})],
                "field_ids": [Command.create({"name": "Login"})],
            }
        )
        cls.priority_rule_2 = env["itsm.priority.rule"].create(
            {"company_id": cls.company_2.id, "impact": "1", "urgency": "1", "priority": "1"}
        )

        def ticket(name, partner, team, **values):
            vals = {"name": name, "partner_id": partner.id, "team_id": team.id if team else False}
            vals.update(values)
            return Ticket.create(vals)

        cls.ticket_a = ticket(
            "MX A printer", cls.portal_a.partner_id, cls.team_desk, user_id=cls.agent_concerned.id
        )
        cls.ticket_a2 = ticket("MX A2 laptop", cls.portal_a2.partner_id, cls.team_desk)
        cls.ticket_b = ticket("MX B screen", cls.portal_b.partner_id, cls.team_desk)
        cls.ticket_field = ticket("MX field visit", cls.portal_b.partner_id, cls.team_field)
        cls.ticket_members = ticket("MX secret server", cls.portal_a2.partner_id, cls.team_members)
        # company 2: a ticket without team, the condition that once opened company 2 to agents
        cls.ticket_2 = ticket("MX company 2 outage", cls.customer_c, False, company_id=cls.company_2.id)
        cls.tickets_1 = cls.ticket_a | cls.ticket_a2 | cls.ticket_b | cls.ticket_field | cls.ticket_members
        for tkt in cls.tickets_1 | cls.ticket_2:
            env["itsm.ticket.checklist"].create({"ticket_id": tkt.id, "name": f"Step of {tkt.name}"})
            env["itsm.ticket.answer"].create(
                {"ticket_id": tkt.id, "name": "Login", "value": f"of {tkt.name}"}
            )
        for tkt in cls.ticket_members | cls.ticket_2:
            env["itsm.major.incident.review"].create({"ticket_id": tkt.id, "root_cause": f"cause {tkt.name}"})
        vendor = env["res.partner"].create({"name": "MX Vendor", "is_company": True, "is_itsm_vendor": True})
        for tkt in cls.ticket_a | cls.ticket_members | cls.ticket_2:
            env["itsm.vendor.ticket"].create(
                {"ticket_id": tkt.id, "vendor_id": vendor.id, "company_id": tkt.company_id.id}
            )
        article = env["itsm.kb.article"].create({"name": "MX shared article", "company_id": False})
        for tkt in cls.ticket_a | cls.ticket_members | cls.ticket_2:
            env["itsm.kb.deflection"].create(
                {"article_id": article.id, "ticket_id": tkt.id, "partner_id": tkt.partner_id.id}
            )

    # service levels ---------------------------------------------------------------------------

    @classmethod
    def _make_sla(cls):
        env = cls.env

        def contract(name, partner, company):
            record = env["itsm.sla.contract"].create(
                {
                    "name": name,
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "is_24x7": True,
                    "date_start": "2024-01-01",
                    "target_ids": [Command.create({"metric": "resolution", "target_hours": 8.0})],
                    "threshold_ids": [Command.create({"percent": 75, "action": "notify_assignee"})],
                }
            )
            record.state = "active"
            return record

        cls.contract_a = contract("MX Gold A", cls.customer_a, cls.company)
        cls.contract_2 = contract("MX Gold C", cls.customer_c, cls.company_2)
        for company, partner in ((cls.company, cls.customer_a), (cls.company_2, cls.customer_c)):
            env["itsm.sla.requirement"].create(
                {
                    "name": f"MX wishes of {partner.name}",
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "line_ids": [Command.create({"priority": "1", "response_hours": 1.0})],
                }
            )
        # tickets opened under the contracts: their clocks run
        cls.ticket_sla_a = cls.env["itsm.ticket"].create(
            {"name": "MX A measured", "partner_id": cls.portal_a.partner_id.id, "team_id": cls.team_desk.id}
        )
        cls.ticket_sla_members = cls.env["itsm.ticket"].create(
            {
                "name": "MX members measured",
                "partner_id": cls.portal_a.partner_id.id,
                "team_id": cls.team_members.id,
            }
        )
        cls.ticket_sla_2 = cls.env["itsm.ticket"].create(
            {"name": "MX C measured", "partner_id": cls.customer_c.id, "company_id": cls.company_2.id}
        )
        cls.tickets_1 |= cls.ticket_sla_a | cls.ticket_sla_members
        # a contract coming into force also measures the open tickets it covers: A's tickets too
        clocks = (
            env["itsm.ticket.sla"]
            .search([("ticket_id.partner_id", "!=", False)])
            .filtered(
                lambda clock: clock.ticket_id.commercial_partner_id in (cls.customer_a | cls.customer_c)
            )
        )
        for clock in clocks:
            env["itsm.ticket.sla.event"].create(
                {
                    "line_id": clock.id,
                    "threshold_id": clock.contract_id.threshold_ids[:1].id,
                    "percent": 75,
                    "fired_at": fields.Datetime.now(),
                }
            )

    # satisfaction -----------------------------------------------------------------------------

    @classmethod
    def _make_satisfaction(cls):
        env = cls.env
        campaign_1 = env["itsm.callback.campaign"].create({"name": "MX callbacks", "sample_type": "count"})
        campaign_2 = env["itsm.callback.campaign"].create(
            {"name": "MX callbacks 2", "sample_type": "count", "company_id": cls.company_2.id}
        )
        Callback = env["itsm.callback"]
        cls.callback_members = Callback.create(
            {
                "campaign_id": campaign_1.id,
                "ticket_id": cls.ticket_members.id,
                "partner_id": cls.ticket_members.partner_id.id,
                "caller_id": cls.expert.id,
                "overall_score": "2",
                "comment": "The expert team never called back",
            }
        )
        cls.callback_a = Callback.create(
            {
                "campaign_id": campaign_1.id,
                "ticket_id": cls.ticket_a.id,
                "partner_id": cls.ticket_a.partner_id.id,
                "caller_id": cls.agent_1.id,
                "overall_score": "1",
                "comment": "The agent was rude",
            }
        )
        cls.callback_2 = Callback.create(
            {
                "campaign_id": campaign_2.id,
                "ticket_id": cls.ticket_2.id,
                "partner_id": cls.customer_c.id,
                "overall_score": "3",
            }
        )
        ticket_model = env["ir.model"]._get_id("itsm.ticket")
        Rating = env["rating.rating"].sudo()
        cls.ratings = {}
        for tkt, score in ((cls.ticket_a, 1), (cls.ticket_members, 2), (cls.ticket_2, 3)):
            cls.ratings[tkt] = Rating.create(
                {
                    "res_model_id": ticket_model,
                    "res_id": tkt.id,
                    "partner_id": tkt.partner_id.id,
                    "rated_partner_id": (tkt.user_id or cls.agent_concerned).partner_id.id,
                    "rating": score,
                    "consumed": True,
                    "feedback": f"opinion on {tkt.name}",
                }
            )

    # complaints -------------------------------------------------------------------------------

    @classmethod
    def _make_complaints(cls):
        env = cls.env
        Complaint = env["itsm.complaint"]
        category = env.ref("itsm_complaints.category_attitude")
        cls.complaint_about_agent = (
            Complaint.with_user(cls.receiver)
            .create(
                {
                    "name": "MX the agent was rude",
                    "partner_id": cls.portal_a.partner_id.id,
                    "category_id": category.id,
                    "agent_id": cls.agent_concerned.id,
                    "ticket_id": cls.ticket_a.id,
                    "description": "<p>Rude on the phone.</p>",
                }
            )
            .with_env(env)
        )
        cls.complaint_b = (
            Complaint.with_user(cls.receiver)
            .create(
                {"name": "MX B is slow", "partner_id": cls.portal_b.partner_id.id, "category_id": category.id}
            )
            .with_env(env)
        )
        cls.complaint_2 = Complaint.create(
            {
                "name": "MX company 2 complaint",
                "partner_id": cls.customer_c.id,
                "company_id": cls.company_2.id,
            }
        )
        cls.complaints_1 = cls.complaint_about_agent | cls.complaint_b
        # a month before any demo history: the demo holds a review for each month of its year
        for company in (cls.company, cls.company_2):
            review = env["itsm.complaint.review"].create(
                {
                    "company_id": company.id,
                    "period_start": "2020-01-01",
                    "period_end": "2020-01-31",
                }
            )
            env["itsm.complaint.review.line"].create(
                {"review_id": review.id, "dimension": "kind", "label": f"MX figures of {company.name}"}
            )
            env["itsm.improvement.action"].create(
                {
                    "name": f"MX action {company.name}",
                    "company_id": company.id,
                    "owner_id": cls.agent_1.id,
                    "due_date": "2026-03-01",
                }
            )
        env["itsm.complaint.step"].create(
            {"state": "received", "company_id": cls.company_2.id, "duration_days": 2}
        )

    # staff morale -----------------------------------------------------------------------------

    @classmethod
    def _make_morale(cls):
        env = cls.env
        survey = env.ref("itsm_communication.survey_morale_pulse")
        pulses = env["itsm.morale.pulse"].create(
            [
                {"team_id": team.id, "period_start": "2026-01-01", "survey_id": survey.id}
                for team in (cls.team_desk, cls.team_members, cls.team_2)
            ]
        )
        # a follow-up of the desk's low morale, owned by the expert (not a member of the desk)
        env["itsm.improvement.action"].create(
            {
                "name": "MX morale of the desk",
                "company_id": cls.company.id,
                "owner_id": cls.expert.id,
                "due_date": "2026-03-01",
                "morale_pulse_id": pulses[0].id,
            }
        )

    # core models ------------------------------------------------------------------------------

    @classmethod
    def _make_core(cls):
        env = cls.env
        for record in (cls.ticket_members, cls.ticket_2, cls.complaint_about_agent, cls.complaint_2):
            # a note logged by an agent
            record.message_post(
                body=f"MX internal note on {record.display_name}",
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            env["ir.attachment"].create(
                {"name": "mx.txt", "raw": b"secret", "res_model": record._name, "res_id": record.id}
            )
            record.activity_schedule("mail.mail_activity_data_todo", summary="MX follow up", user_id=env.uid)
        cls.ticket_a.message_post(
            body="MX public reply", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        # the management report of each company: its figures, trends, PDF and chatter
        env["itsm.management.report"].create(
            [
                {"company_id": company.id, "period_kind": "month", "date_from": "2020-01-01"}
                for company in (cls.company, cls.company_2)
            ]
        ).action_issue()

    # the roles --------------------------------------------------------------------------------

    @classmethod
    def _roles(cls):
        desk_1 = cls.ticket_a | cls.ticket_a2 | cls.ticket_b | cls.ticket_sla_a
        nothing = cls.env["itsm.ticket"]
        no_complaint = cls.env["itsm.complaint"]

        def role(user, tickets=nothing, complaints=no_complaint):
            return {"user": user, "tickets": tickets, "complaints": complaints}

        return {
            "agent line 1": role(cls.agent_1, desk_1),
            "agent lines 2-3 (members-only team)": role(
                cls.expert, desk_1 | cls.ticket_field | cls.ticket_members | cls.ticket_sla_members
            ),
            "desk manager": role(cls.desk_manager, cls.tickets_1),
            "complaint receiver": role(cls.receiver, complaints=cls.complaints_1),
            "complaint handler": role(cls.handler, complaints=cls.complaints_1),
            "process owner": role(cls.process_owner, complaints=cls.complaints_1),
            "implementation lead": role(cls.impl_lead),
            "agent concerned": role(cls.agent_concerned, desk_1, complaints=cls.complaint_b),
            "portal customer A": role(
                cls.portal_a,
                cls.ticket_a | cls.ticket_sla_a | cls.ticket_sla_members,
                cls.complaint_about_agent,
            ),
            "portal customer B": role(cls.portal_b, cls.ticket_b | cls.ticket_field, cls.complaint_b),
            "designated contact A": role(
                cls.contact_a,
                cls.ticket_a | cls.ticket_a2 | cls.ticket_members | cls.ticket_sla_a | cls.ticket_sla_members,
            ),
            "anonymous visitor": role(cls.public),
        }
